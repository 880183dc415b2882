import type { JsonObject } from '@annet/layer-api';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback, EpochLogs } from './callback.js';

/**
 * One progress report of a running `fit`, as plain data: numbers, strings, `null` and one flat
 * record of numbers, so `postMessage` (structured clone) and `JSON.stringify` carry it as it is
 * (a diverged loss is `NaN`, which JSON turns into `null`).
 *
 * @example
 * const onProgress = (progress: FitProgress) => self.postMessage({ type: 'progress', progress });
 */
export interface FitProgress {
  /** `begin` (before the first batch), `batch` (after a batch), `epoch` (an epoch's end, validation included), `end` (training over). */
  readonly phase: 'begin' | 'batch' | 'epoch' | 'end';
  /** One-based number of the epoch in progress (or just finished). */
  readonly epoch: number;
  /** Epochs to train in total. */
  readonly epochs: number;
  /** Batches done in the epoch. */
  readonly batch: number;
  /** Batches in an epoch, or `null` while unknown (a stream in its first pass). */
  readonly batchesPerEpoch: number | null;
  /** Optimizer steps since the run began (across resumes). */
  readonly step: number;
  /** Samples done in the epoch. */
  readonly samples: number;
  /** Samples in an epoch, or `null` while unknown. */
  readonly samplesPerEpoch: number | null;
  /** The epoch's running mean loss (at `epoch`: its final loss), or `null` before the first batch. */
  readonly loss: number | null;
  /** The last batch's loss, or `null` before the first batch. */
  readonly batchLoss: number | null;
  /** Metrics by log name: running means during the epoch; at `epoch` also validation figures (`validationLoss`…). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The learning rate the next step uses. */
  readonly learningRate: number;
  /** Training throughput in this epoch so far (this `fit` call's samples only). */
  readonly samplesPerSecond: number;
  /** Seconds since this `fit` call began training. */
  readonly elapsedSeconds: number;
  /** Estimated seconds to the end of the epoch, or `null` while unknown. */
  readonly epochEtaSeconds: number | null;
  /** Estimated seconds to the end of training (all epochs), or `null` while unknown. */
  readonly etaSeconds: number | null;
  /** Why training stopped, once it did; `null` otherwise. */
  readonly stopReason: string | null;
  /** `true` when `fit`'s `AbortSignal` stopped training. */
  readonly aborted: boolean;
}

/**
 * Options of {@link ProgressReporter}.
 *
 * @example
 * new ProgressReporter(send, { everyMilliseconds: 250 });
 */
export interface ProgressReporterOptions {
  /** At most one `batch` report per this many milliseconds (0: after every batch); default 100. `begin`, `epoch` and `end` reports always go out. */
  readonly everyMilliseconds?: number;
  /** Key of this callback's (empty) state in checkpoints; default `progressReporter`. */
  readonly name?: string;
  /** The clock, in milliseconds (tests pass a fake one); default `performance.now`. */
  readonly now?: () => number;
}

/**
 * A callback that reports progress as {@link FitProgress} plain data, for UIs and workers: call
 * `postMessage` with it, or draw a chart. Epoch and ETA figures follow the run (a resumed run
 * reports the whole run's epochs and steps; throughput counts this call's samples).
 *
 * @example
 * const reporter = new ProgressReporter((progress) => self.postMessage({ type: 'progress', progress }));
 * await model.fit(train, { optimizer, loss: 'softmaxCrossEntropy', epochs: 5, callbacks: [reporter] });
 */
export class ProgressReporter implements Callback {
  readonly name: string;
  private readonly everyMilliseconds: number;
  private readonly now: () => number;
  private trainStart = 0;
  private epochStart = 0;
  private samplesAtEpochStart = 0;
  /** Samples trained by this fit call in completed epochs. */
  private samplesBeforeEpoch = 0;
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly report: (progress: FitProgress) => void,
    options: ProgressReporterOptions = {},
  ) {
    this.everyMilliseconds = options.everyMilliseconds ?? 100;
    this.name = options.name ?? 'progressReporter';
    this.now = options.now ?? (() => performance.now());
  }

  onTrainBegin(context: TrainingContext): void {
    this.trainStart = this.now();
    this.samplesBeforeEpoch = 0;
    this.startEpoch(context);
    this.report(this.progress('begin', null, context));
  }

  onEpochBegin(context: TrainingContext): void {
    this.startEpoch(context);
  }

  onBatchEnd(logs: EpochLogs, context: TrainingContext): void {
    const time = this.now();
    if (time - this.lastReport < this.everyMilliseconds) return;
    this.lastReport = time;
    this.report(this.progress('batch', logs, context));
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    this.report(this.progress('epoch', logs, context));
    this.samplesBeforeEpoch += context.samplesInEpoch - this.samplesAtEpochStart;
    this.samplesAtEpochStart = context.samplesInEpoch;
  }

  onTrainEnd(context: TrainingContext): void {
    this.report(this.progress('end', null, context));
  }

  /** Nothing to save: reports are derived from the run. */
  getState(): JsonObject {
    return {};
  }

  setState(): void {}

  private startEpoch(context: TrainingContext): void {
    this.epochStart = this.now();
    this.samplesAtEpochStart = context.samplesInEpoch;
    this.lastReport = Number.NEGATIVE_INFINITY;
  }

  private progress(phase: FitProgress['phase'], logs: EpochLogs | null, context: TrainingContext): FitProgress {
    const time = this.now();
    const epochSamples = context.samplesInEpoch - this.samplesAtEpochStart;
    const epochSeconds = (time - this.epochStart) / 1000;
    const elapsedSeconds = (time - this.trainStart) / 1000;
    const samplesPerSecond = epochSeconds > 0 ? epochSamples / epochSeconds : 0;
    // The ETA uses the whole call's rate, which includes validation and hooks, so it is what a user waits.
    const trained = this.samplesBeforeEpoch + epochSamples;
    const overallRate = elapsedSeconds > 0 && trained > 0 ? trained / elapsedSeconds : null;
    const perEpoch = Number.isFinite(context.samplesPerEpoch) ? context.samplesPerEpoch : null;
    const epochDone = phase === 'epoch' || (phase === 'end' && context.stopReason === null);
    const left = perEpoch === null ? null : epochDone ? 0 : Math.max(0, perEpoch - context.samplesInEpoch);
    const epochEtaSeconds = left === null || overallRate === null ? (left === 0 ? 0 : null) : left / overallRate;
    const laterEpochs = Math.max(0, context.epochs - context.epoch - 1);
    const etaSeconds =
      context.stopReason !== null || phase === 'end'
        ? 0
        : epochEtaSeconds === null || perEpoch === null || overallRate === null
          ? null
          : epochEtaSeconds + (laterEpochs * perEpoch) / overallRate;
    const metrics: Record<string, number> = {};
    let loss: number | null = null;
    for (const [key, value] of Object.entries(logs ?? {})) {
      if (key === 'loss') loss = value;
      else if (key !== 'seconds' && key !== 'samplesPerSecond' && key !== 'learningRate') metrics[key] = value;
    }
    return {
      phase,
      epoch: Math.min(context.epoch + 1, context.epochs),
      epochs: context.epochs,
      batch: context.batch,
      batchesPerEpoch: Number.isFinite(context.batchesPerEpoch) ? context.batchesPerEpoch : null,
      step: context.step,
      samples: context.samplesInEpoch,
      samplesPerEpoch: perEpoch,
      loss,
      batchLoss: context.batch > 0 || context.step > 0 ? context.batchLoss : null,
      metrics,
      learningRate: context.learningRate,
      samplesPerSecond,
      elapsedSeconds,
      epochEtaSeconds,
      etaSeconds,
      stopReason: context.stopReason,
      aborted: context.aborted,
    };
  }
}
