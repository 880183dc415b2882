import type { Callback, EpochLogs, TrainingContext } from '@annet/model';

/**
 * Where training is, as plain data a worker can post: figures are the running means of the
 * current epoch, `samplesPerSecond` is measured over this session's training batches so far.
 *
 * @example
 * const progress: TrainingProgress = { epoch: 0, epochs: 5, batch: 10, batchesPerEpoch: 125, step: 10, loss: 1.2, accuracy: 0.6, samplesPerSecond: 20000, learningRate: 0.001 };
 */
export interface TrainingProgress {
  /** Zero-based epoch in progress. */
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSecond: number;
  readonly learningRate: number;
}

/**
 * Reports progress after batches (at most every `intervalMilliseconds`, and after an epoch's last
 * batch) and each epoch's logs. Stands in for the library's UI progress callback.
 *
 * @example
 * new ProgressReporter({ onProgress: (progress) => postMessage(progress), onEpoch: (logs) => postMessage(logs) });
 */
export class ProgressReporter implements Callback {
  readonly name = 'playgroundProgress';
  private lastReport = -Infinity;
  private samples = 0;
  private trainingMilliseconds = 0;
  private batchStarted = 0;
  /** Samples done in the epoch at the previous batch's end; `null` right after a mid-epoch resume. */
  private samplesBefore: number | null = null;

  constructor(private readonly sink: { readonly onProgress: (progress: TrainingProgress) => void; readonly onEpoch: (epoch: number, logs: EpochLogs) => void; readonly intervalMilliseconds?: number }) {}

  onTrainBegin(): void {
    this.batchStarted = performance.now();
  }

  onEpochBegin(): void {
    this.samplesBefore = 0;
    this.batchStarted = performance.now();
  }

  onBatchEnd(logs: EpochLogs, context: TrainingContext): void {
    const now = performance.now();
    if (this.samplesBefore !== null) {
      this.samples += context.samplesInEpoch - this.samplesBefore;
      this.trainingMilliseconds += now - this.batchStarted;
    }
    this.samplesBefore = context.samplesInEpoch;
    if (context.batch === context.batchesPerEpoch || now - this.lastReport >= (this.sink.intervalMilliseconds ?? 100)) {
      this.lastReport = now;
      this.sink.onProgress({
        epoch: context.epoch,
        epochs: context.epochs,
        batch: context.batch,
        batchesPerEpoch: context.batchesPerEpoch,
        step: context.step,
        loss: logs.loss,
        accuracy: logs.accuracy ?? Number.NaN,
        samplesPerSecond: this.trainingMilliseconds > 0 ? (this.samples * 1000) / this.trainingMilliseconds : 0,
        learningRate: context.learningRate,
      });
    }
    // Whatever runs between two batches (pauses, yields, posting, validation) is not training time.
    this.batchStarted = performance.now();
  }

  onEpochEnd(logs: EpochLogs, context: TrainingContext): void {
    this.sink.onEpoch(context.epoch, logs);
  }

  /** Restarts the batch clock: called after a pause or a yield that ran after this callback's hook. */
  restartClock(): void {
    this.batchStarted = performance.now();
  }
}
