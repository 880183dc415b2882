import type { JsonObject } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import { checkClassificationInputs, checkedTargetClass, classCount, predictedClass, readCount } from './classification.js';
import type { Metric } from './metric.js';

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
export class Accuracy implements Metric {
  readonly name: string;
  private correct = 0;
  private count = 0;

  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? 'accuracy';
  }

  update(predictions: Tensor, targets: Tensor): void {
    checkClassificationInputs(predictions, targets, this.name);
    const rows = predictions.shape[0];
    const classes = classCount(predictions);
    for (let row = 0; row < rows; row++) {
      if (predictedClass(predictions, row) === checkedTargetClass(targets, row, classes, this.name)) this.correct++;
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
