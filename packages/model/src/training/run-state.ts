import type { Optimizer } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import type { History } from '../callbacks/history.js';
import type { TrainingContext } from './training-context.js';
import type { TrainableModel } from './training-model.js';

/**
 * The mutable {@link TrainingContext} one `fit` call updates as it goes.
 *
 * @example
 * const state = new RunState(model, optimizer, 10, 125, 8000, history, (current) => captureCheckpoint(parts, current));
 */
export class RunState implements TrainingContext {
  epoch = 0;
  batch = 0;
  samplesInEpoch = 0;
  step = 0;
  batchLoss = Number.NaN;
  stopReason: string | null = null;
  /** `true` between an epoch's last batch and the end of its `onEpochEnd` hooks. */
  atEpochEnd = false;
  /** `true` once `fit`'s `AbortSignal` stopped the run. */
  aborted = false;

  constructor(
    readonly model: TrainableModel,
    readonly optimizer: Optimizer,
    readonly epochs: number,
    /** `NaN` while unknown: a stream without `stepsPerEpoch`, until its first pass ends. */
    public batchesPerEpoch: number,
    /** `NaN` while unknown, as `batchesPerEpoch`. */
    public samplesPerEpoch: number,
    readonly history: History,
    private readonly snapshot: (state: RunState) => Checkpoint,
  ) {}

  get learningRate(): number {
    return this.optimizer.currentLearningRate();
  }

  requestStop(reason: string): void {
    this.stopReason ??= reason;
  }

  /** Stops the run at this batch boundary because the `AbortSignal` fired (with its reason). */
  abort(reason: unknown): void {
    this.aborted = true;
    const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
    this.requestStop(
      `aborted at step ${this.step} (epoch ${this.epoch + 1}, batch ${this.batch})${why === '' ? '' : `: ${why}`}`,
    );
  }

  /** After a full epoch: an epoch length that was unknown (a stream's) is now known. */
  learnEpochLength(): void {
    if (Number.isNaN(this.batchesPerEpoch)) this.batchesPerEpoch = this.batch;
    if (Number.isNaN(this.samplesPerEpoch)) this.samplesPerEpoch = this.samplesInEpoch;
  }

  checkpoint(): Checkpoint {
    return this.snapshot(this);
  }
}
