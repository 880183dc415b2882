import type { JsonObject } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import { checkClassificationInputs, readCount } from './classification.js';
import type { Metric } from './metric.js';

/**
 * The streaming part shared by metrics that score each row as a hit or a miss (accuracy, top-k
 * accuracy): `result = hits / rows` over every batch since the last reset, with both counters
 * saved as plain JSON. A subclass only says how many rows of a checked batch are hits.
 *
 * @example
 * class EvenTarget extends HitRateMetric {
 *   readonly name = 'evenTarget';
 *   protected countHits(_predictions: Tensor, targets: Tensor): number {
 *     return Array.from(targets.data).filter((target) => target % 2 === 0).length;
 *   }
 * }
 */
export abstract class HitRateMetric implements Metric {
  abstract readonly name: string;
  private hits = 0;
  private rows = 0;

  /** How many rows of `predictions` `[N, C]` (already checked against `targets`) are hits. */
  protected abstract countHits(predictions: Tensor, targets: Tensor): number;

  update(predictions: Tensor, targets: Tensor): void {
    checkClassificationInputs(predictions, targets, this.name);
    this.hits += this.countHits(predictions, targets);
    this.rows += predictions.shape[0];
  }

  result(): number {
    return this.rows === 0 ? Number.NaN : this.hits / this.rows;
  }

  reset(): void {
    this.hits = 0;
    this.rows = 0;
  }

  // `correct` and `count` are the keys checkpoints written before this class existed hold.
  state(): JsonObject {
    return { correct: this.hits, count: this.rows };
  }

  setState(state: JsonObject): void {
    this.hits = readCount(state, 'correct', this.name);
    this.rows = readCount(state, 'count', this.name);
  }
}
