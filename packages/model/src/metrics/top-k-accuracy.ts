import type { JsonObject } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import { checkClassificationInputs, checkedTargetClass, readCount } from './classification.js';
import type { Metric } from './metric.js';

/**
 * Fraction of rows whose target class is among the `k` highest scores. A row counts when fewer
 * than `k` classes score strictly higher than the target (ties at the boundary count as in the
 * top k, as TensorFlow's `in_top_k`).
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
export class TopKAccuracy implements Metric {
  readonly name: string;
  /** How many of the highest scores count as a hit. */
  readonly k: number;
  private correct = 0;
  private count = 0;

  constructor(options: { k?: number; name?: string } = {}) {
    const k = options.k ?? 5;
    if (!Number.isInteger(k) || k < 1) {
      throw new AnnetError('INVALID_ARGUMENT', 'TopKAccuracy', `k must be a positive integer, got ${k}`);
    }
    this.k = k;
    this.name = options.name ?? `top${k}Accuracy`;
  }

  update(predictions: Tensor, targets: Tensor): void {
    checkClassificationInputs(predictions, targets, this.name);
    const [rows, classes] = predictions.shape;
    if (classes < 2) {
      throw new AnnetError('SHAPE_MISMATCH', this.name, `top-k accuracy needs one score per class, [batch, classes >= 2]; got [${rows},${classes}]`);
    }
    const data = predictions.data;
    const [rowStride, columnStride] = predictions.strides;
    for (let row = 0; row < rows; row++) {
      const start = predictions.offset + row * rowStride;
      const target = checkedTargetClass(targets, row, classes, this.name);
      const targetScore = data[start + target * columnStride];
      let higher = 0;
      for (let column = 0; column < classes; column++) {
        if (data[start + column * columnStride] > targetScore) higher++;
      }
      if (higher < this.k) this.correct++;
    }
    this.count += rows;
  }

  result(): number {
    return this.count === 0 ? Number.NaN : this.correct / this.count;
  }

  reset(): void {
    this.correct = 0;
    this.count = 0;
  }

  state(): JsonObject {
    return { correct: this.correct, count: this.count };
  }

  setState(state: JsonObject): void {
    this.correct = readCount(state, 'correct', this.name);
    this.count = readCount(state, 'count', this.name);
  }
}
