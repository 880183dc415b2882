import type { Optimizer } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import type { EpochHistory } from '../callbacks/epoch-logs.js';
import type { CallbackModel } from './training-model.js';

/**
 * What callbacks see of a running `fit`: the model and optimizer, where training is (epoch,
 * batch, global step), the history so far, a way to stop, and a way to take a checkpoint that
 * resumes exactly from this point.
 *
 * @example
 * const stopAtStep100: Callback = {
 *   name: 'stopAtStep100',
 *   onBatchEnd: (_logs, context) => { if (context.step === 100) context.requestStop('step 100 reached'); },
 * };
 */
export interface TrainingContext {
  /** The model being trained, as callbacks see it (a `Sequential` or another {@link TrainableModel}). */
  readonly model: CallbackModel;
  readonly optimizer: Optimizer;
  /** The epoch `fit` trains up to (exclusive, zero-based): the `epochs` option. */
  readonly epochs: number;
  /** The current epoch, zero-based. */
  readonly epoch: number;
  /** Batches finished in the current epoch. */
  readonly batch: number;
  /** Batches in one epoch: `stepsPerEpoch` when given; `NaN` while unknown (a stream, until its first pass ends). */
  readonly batchesPerEpoch: number;
  /** Samples finished in the current epoch. */
  readonly samplesInEpoch: number;
  /** Samples in one epoch (with `stepsPerEpoch`: steps × batch size, an upper bound); `NaN` while unknown. */
  readonly samplesPerEpoch: number;
  /** Optimizer steps taken since the run began (across resumes). */
  readonly step: number;
  /** The loss of the last batch (not averaged). */
  readonly batchLoss: number;
  /** The learning rate the next step will use. */
  readonly learningRate: number;
  /** Completed epochs' logs. */
  readonly history: EpochHistory;
  /** Why training stops, once something asked it to; `null` otherwise. */
  readonly stopReason: string | null;
  /** `true` when `fit`'s `AbortSignal` stopped training (at a batch boundary; `stopReason` says where). */
  readonly aborted: boolean;
  /** Asks `fit` to stop after the current batch (mid-epoch, without validation) or epoch. */
  requestStop(reason: string): void;
  /**
   * Everything needed to resume exactly from this point: weights, buffers, layer states, the
   * optimizer, the data loader's position, RNG streams, epoch, step, history, callback and
   * metric states. Arrays are copied, so later steps do not change it.
   */
  checkpoint(): Checkpoint;
}
