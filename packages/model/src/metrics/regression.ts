import type { JsonObject } from '@annet/layer-api';
import { AnnetError, formatShape, shapesEqual, type Tensor } from '@annet/tensor';
import { readCount } from './classification.js';
import type { Metric } from './metric.js';

/** How one element's error is measured. */
type ErrorKind = 'squared' | 'absolute';

/**
 * A streaming mean of elementwise errors between predictions and targets of the same shape:
 * `MSE = (1/n) Σ (p − t)²`, `MAE = (1/n) Σ |p − t|` over all `n` elements seen.
 * Sums are kept in float64 so long runs do not drift.
 *
 * @example
 * const mse = new MeanErrorMetric('squared');
 * mse.update(tensor([1, 2]), tensor([1, 4]));
 * mse.result(); // 2
 */
export class MeanErrorMetric implements Metric {
  readonly name: string;
  /** `squared` for MSE, `absolute` for MAE. */
  readonly kind: ErrorKind;
  private sum = 0;
  private count = 0;

  constructor(kind: ErrorKind, options: { name?: string } = {}) {
    this.kind = kind;
    this.name = options.name ?? (kind === 'squared' ? 'meanSquaredError' : 'meanAbsoluteError');
  }

  update(predictions: Tensor, targets: Tensor): void {
    if (!shapesEqual(predictions.shape, targets.shape)) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.name,
        `predictions ${formatShape(predictions.shape)} and targets ${formatShape(targets.shape)} must have the same shape`,
      );
    }
    let sum = 0;
    const squared = this.kind === 'squared';
    if (predictions.isContiguous && targets.isContiguous) {
      const prediction = predictions.data;
      const target = targets.data;
      const predictionOffset = predictions.offset;
      const targetOffset = targets.offset;
      for (let index = 0; index < predictions.size; index++) {
        const difference = prediction[predictionOffset + index] - target[targetOffset + index];
        sum += squared ? difference * difference : Math.abs(difference);
      }
    } else {
      const flatTargets = targets.contiguous();
      predictions.forEachIndex((dataIndex, flatIndex) => {
        const difference = predictions.data[dataIndex] - flatTargets.data[flatTargets.offset + flatIndex];
        sum += squared ? difference * difference : Math.abs(difference);
      });
    }
    this.sum += sum;
    this.count += predictions.size;
  }

  result(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
  }

  state(): JsonObject {
    return { sum: this.sum, count: this.count };
  }

  setState(state: JsonObject): void {
    this.sum = readCount(state, 'sum', this.name);
    this.count = readCount(state, 'count', this.name);
  }
}

/**
 * Mean squared error over all elements, `(1/n) Σ (p − t)²`.
 *
 * @example
 * meanSquaredError(tensor([1, 2]), tensor([1, 4])); // 2
 */
export function meanSquaredError(predictions: Tensor, targets: Tensor): number {
  const metric = new MeanErrorMetric('squared');
  metric.update(predictions, targets);
  return metric.result();
}

/**
 * Mean absolute error over all elements, `(1/n) Σ |p − t|`.
 *
 * @example
 * meanAbsoluteError(tensor([1, 2]), tensor([1, 4])); // 1
 */
export function meanAbsoluteError(predictions: Tensor, targets: Tensor): number {
  const metric = new MeanErrorMetric('absolute');
  metric.update(predictions, targets);
  return metric.result();
}
