import type { JsonObject } from '@annet/layer-api';
import { readCount } from './classification.js';

/**
 * A weighted running mean, `Σ wᵢ·xᵢ / Σ wᵢ`: how an epoch's loss is averaged over batches of
 * different sizes (each batch's mean loss weighted by its number of samples).
 *
 * @example
 * const mean = new RunningMean();
 * mean.add(0.5, 32);
 * mean.add(0.25, 16);
 * mean.result(); // (0.5·32 + 0.25·16) / 48 ≈ 0.4167
 */
export class RunningMean {
  private sum = 0;
  private weight = 0;

  /** Adds `value` with weight `weight` (default 1). */
  add(value: number, weight = 1): void {
    this.sum += value * weight;
    this.weight += weight;
  }

  /** The weighted mean so far; `NaN` before the first value. */
  result(): number {
    return this.weight === 0 ? Number.NaN : this.sum / this.weight;
  }

  /** Forgets every value. */
  reset(): void {
    this.sum = 0;
    this.weight = 0;
  }

  /** The sums as plain JSON. */
  state(): JsonObject {
    return { sum: this.sum, weight: this.weight };
  }

  /** Restores what {@link RunningMean.state} returned. */
  setState(state: JsonObject): void {
    this.sum = readCount(state, 'sum', 'RunningMean');
    this.weight = readCount(state, 'weight', 'RunningMean');
  }
}
