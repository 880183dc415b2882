import type { JsonObject } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';

/**
 * A streaming metric: fed batch after batch with {@link Metric.update}, read with
 * {@link Metric.result}. Its accumulators are plain JSON ({@link Metric.state}) so a checkpoint
 * taken mid-epoch resumes the epoch's running figures exactly.
 *
 * @example
 * const metric = new Accuracy();
 * metric.update(predictions, targets);
 * metric.result(); // fraction correct so far
 */
export interface Metric {
  /** Key of the metric in training logs and history, such as `accuracy`. */
  readonly name: string;
  /** Adds one batch: `predictions` as the model outputs them, `targets` as the loss takes them. */
  update(predictions: Tensor, targets: Tensor): void;
  /** The value over every batch since the last reset; `NaN` before the first update. */
  result(): number;
  /** Forgets every batch (called at the start of each epoch and each evaluation). */
  reset(): void;
  /** The accumulators as plain JSON. */
  state(): JsonObject;
  /** Restores what {@link Metric.state} returned. */
  setState(state: JsonObject): void;
}
