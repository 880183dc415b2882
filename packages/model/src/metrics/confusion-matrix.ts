import type { JsonObject } from '@annet/layer-api';
import { AnnetError, Tensor } from '@annet/tensor';
import { checkClassificationInputs, checkedTargetClass, classCount, predictedClass } from './classification.js';

/**
 * A running confusion matrix: `counts[target * classes + predicted]` counts the rows of true class
 * `target` predicted as `predicted` (rows are true classes, columns predicted ones, as in
 * scikit-learn). Precision, recall and F1 are read off it.
 *
 * @example
 * const matrix = new ConfusionMatrix(10);
 * matrix.update(predictions, targets);
 * matrix.toTensor(); // int32 [10, 10]
 */
export class ConfusionMatrix {
  /** Number of classes, the side of the matrix. */
  readonly classes: number;
  /** Row-major counts, rows = true class, columns = predicted class. */
  readonly counts: Float64Array;

  constructor(classes: number) {
    if (!Number.isInteger(classes) || classes < 2) {
      throw new AnnetError('INVALID_ARGUMENT', 'ConfusionMatrix', `classes must be an integer >= 2, got ${classes}`);
    }
    this.classes = classes;
    this.counts = new Float64Array(classes * classes);
  }

  /** Adds one batch of predictions `[N, C]` against targets (`[N]` indices or one-hot `[N, C]`). */
  update(predictions: Tensor, targets: Tensor): void {
    checkClassificationInputs(predictions, targets, 'ConfusionMatrix');
    if (classCount(predictions) !== this.classes) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'ConfusionMatrix',
        `predictions score ${classCount(predictions)} classes, the matrix has ${this.classes}`,
      );
    }
    const rows = predictions.shape[0];
    for (let row = 0; row < rows; row++) {
      const target = checkedTargetClass(targets, row, this.classes, 'ConfusionMatrix');
      this.counts[target * this.classes + predictedClass(predictions, row)]++;
    }
  }

  /** The count of rows of true class `target` predicted as `predicted`. */
  get(target: number, predicted: number): number {
    return this.counts[target * this.classes + predicted];
  }

  /** Sets every count to zero. */
  reset(): void {
    this.counts.fill(0);
  }

  /** The counts as an int32 tensor `[classes, classes]`. */
  toTensor(): Tensor<'int32'> {
    return new Tensor(Int32Array.from(this.counts), [this.classes, this.classes]);
  }

  /** The counts as nested arrays (JSON). */
  toArray(): number[][] {
    const result: number[][] = [];
    for (let target = 0; target < this.classes; target++) {
      result.push(Array.from(this.counts.subarray(target * this.classes, (target + 1) * this.classes)));
    }
    return result;
  }

  /** The counts as plain JSON. */
  state(): JsonObject {
    return { classes: this.classes, counts: Array.from(this.counts) };
  }

  /** Restores what {@link ConfusionMatrix.state} returned. */
  setState(state: JsonObject): void {
    const counts = state.counts;
    if (
      state.classes !== this.classes ||
      !Array.isArray(counts) ||
      counts.length !== this.counts.length ||
      !counts.every((value) => typeof value === 'number')
    ) {
      throw new AnnetError(
        'INVALID_STATE',
        'ConfusionMatrix',
        `expected { classes: ${this.classes}, counts: ${this.counts.length} numbers }, got classes ${JSON.stringify(state.classes)}`,
      );
    }
    this.counts.set(counts as number[]);
  }
}

/**
 * The confusion matrix of a whole set of predictions, as an int32 tensor `[C, C]` (rows = true
 * class, columns = predicted class).
 *
 * @example
 * confusionMatrix(tensor([[0.9, 0.1], [0.3, 0.7]]), tensor([0, 0])).toArray(); // [[1, 1], [0, 0]]
 */
export function confusionMatrix(predictions: Tensor, targets: Tensor): Tensor<'int32'> {
  checkClassificationInputs(predictions, targets, 'confusionMatrix');
  const matrix = new ConfusionMatrix(classCount(predictions));
  matrix.update(predictions, targets);
  return matrix.toTensor();
}
