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

  constructor(
    readonly model: TrainableModel,
    readonly optimizer: Optimizer,
    readonly epochs: number,
    readonly batchesPerEpoch: number,
    readonly samplesPerEpoch: number,
    readonly history: History,
    private readonly snapshot: (state: RunState) => Checkpoint,
  ) {}

  get learningRate(): number {
    return this.optimizer.currentLearningRate();
  }

  requestStop(reason: string): void {
    this.stopReason ??= reason;
  }

  checkpoint(): Checkpoint {
    return this.snapshot(this);
  }
}
