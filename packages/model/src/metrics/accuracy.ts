import type { Tensor } from '@annet/tensor';
import { checkedTargetClass, classCount, predictedClass } from './classification.js';
import { HitRateMetric } from './hit-rate.js';

/**
 * Fraction of rows whose predicted class (arg-max) equals the target class:
 * `accuracy = (1/N) · Σ [argmax(predictions[i]) = target[i]]`.
 * Targets are class indices `[N]` or one-hot `[N, C]`; `[N, 1]` sigmoid outputs threshold at 0.5.
 *
 * @example
 * accuracy(tensor([[0.1, 0.9], [0.8, 0.2]]), tensor([1, 1])); // 0.5
 */
export function accuracy(predictions: Tensor, targets: Tensor): number {
  const metric = new Accuracy();
  metric.update(predictions, targets);
  return metric.result();
}

/**
 * Streaming {@link accuracy}: counts correct rows and rows seen.
 *
 * @example
 * const metric = new Accuracy();
 * for (const { inputs, targets } of loader) metric.update(model.predict(inputs), targets);
 * metric.result();
 */
export class Accuracy extends HitRateMetric {
  readonly name: string;

  constructor(options: { name?: string } = {}) {
    super();
    this.name = options.name ?? 'accuracy';
  }

  protected countHits(predictions: Tensor, targets: Tensor): number {
    const rows = predictions.shape[0];
    const classes = classCount(predictions);
    let hits = 0;
    for (let row = 0; row < rows; row++) {
      if (predictedClass(predictions, row) === checkedTargetClass(targets, row, classes, this.name)) hits++;
    }
    return hits;
  }
}
