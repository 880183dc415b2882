import { AnnetError, formatShape, type Tensor } from '@annet/tensor';
import { checkedTargetClass } from './classification.js';
import { HitRateMetric } from './hit-rate.js';

/**
 * Fraction of rows whose target class is among the `k` highest scores. A row counts when fewer
 * than `k` classes score strictly higher than the target (ties at the boundary count as in the
 * top k, as TensorFlow's `in_top_k`). As there too, a row holding NaN or infinity is a miss.
 *
 * @example
 * topKAccuracy(tensor([[0.5, 0.3, 0.2]]), tensor([1]), 2); // 1
 */
export function topKAccuracy(predictions: Tensor, targets: Tensor, k = 5): number {
  const metric = new TopKAccuracy({ k });
  metric.update(predictions, targets);
  return metric.result();
}

/**
 * Streaming {@link topKAccuracy}; its log key defaults to `top<k>Accuracy` (`top5Accuracy`).
 *
 * @example
 * const metric = new TopKAccuracy({ k: 3 });
 * metric.update(predictions, targets);
 * metric.result();
 */
export class TopKAccuracy extends HitRateMetric {
  readonly name: string;
  /** How many of the highest scores count as a hit. */
  readonly k: number;

  constructor(options: { k?: number; name?: string } = {}) {
    super();
    const k = options.k ?? 5;
    if (!Number.isInteger(k) || k < 1) {
      throw new AnnetError('INVALID_ARGUMENT', 'TopKAccuracy', `k must be a positive integer, got ${k}`);
    }
    this.k = k;
    this.name = options.name ?? `top${k}Accuracy`;
  }

  protected countHits(predictions: Tensor, targets: Tensor): number {
    const [rows, classes] = predictions.shape;
    if (classes < 2) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.name,
        `top-k accuracy needs one score per class, [batch,classes] with classes >= 2; got ${formatShape(predictions.shape)}`,
      );
    }
    const data = predictions.data;
    const [rowStride, columnStride] = predictions.strides;
    let hits = 0;
    for (let row = 0; row < rows; row++) {
      const start = predictions.offset + row * rowStride;
      const targetScore = data[start + checkedTargetClass(targets, row, classes, this.name) * columnStride];
      // A non-finite score makes the ranking unknowable; NaN compares false, so without this check a NaN target would be a hit.
      let ranked = Number.isFinite(targetScore);
      let higher = 0;
      for (let column = 0; ranked && column < classes; column++) {
        const score = data[start + column * columnStride];
        if (!Number.isFinite(score)) ranked = false;
        else if (score > targetScore) higher++;
      }
      if (ranked && higher < this.k) hits++;
    }
    return hits;
  }
}
