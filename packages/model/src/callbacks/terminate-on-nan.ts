import type { JsonObject } from '@annet/layer-api';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback, EpochLogs } from './callback.js';

/**
 * Stops training at the first batch whose loss is NaN or infinite, and records the step.
 * Training stops right after that batch: the epoch is not finished, validated or logged, so
 * epoch-based checkpoints never see the diverged weights, and {@link ModelCheckpoint} skips
 * saving non-finite weights, so the last good checkpoint stays as it was.
 *
 * @example
 * const guard = new TerminateOnNaN();
 * await model.fit(train, { optimizer, loss: 'crossEntropy', epochs: 10, callbacks: [guard] });
 * guard.stoppedAtStep; // e.g. 37, or null when the loss stayed finite
 */
export class TerminateOnNaN implements Callback {
  readonly name = 'terminateOnNaN';
  /** The global step (1-based: the number of steps taken) whose loss was not finite, or `null`. */
  stoppedAtStep: number | null = null;
  /** The message given to `requestStop`, or `null`. */
  reason: string | null = null;

  onBatchEnd(_logs: EpochLogs, context: TrainingContext): void {
    if (Number.isFinite(context.batchLoss)) return;
    this.stoppedAtStep = context.step;
    this.reason = `loss became ${context.batchLoss} at step ${context.step} (epoch ${context.epoch + 1}, batch ${context.batch}); training stopped, weights after that step were not saved`;
    context.requestStop(this.reason);
  }

  getState(): JsonObject {
    return { stoppedAtStep: this.stoppedAtStep, reason: this.reason };
  }

  setState(state: JsonObject): void {
    this.stoppedAtStep = typeof state.stoppedAtStep === 'number' ? state.stoppedAtStep : null;
    this.reason = typeof state.reason === 'string' ? state.reason : null;
  }
}
