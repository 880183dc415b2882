import { AnnetError, formatShape, type Tensor } from '@annet/tensor';

/**
 * The class a model predicts for one row: the arg-max of `predictions[row]` (the first on ties,
 * as NumPy's `argmax`), or for a single sigmoid column `[N, 1]`, `1` when the score is at least 0.5.
 *
 * @example
 * predictedClass(tensor([[0.1, 0.7, 0.2]]), 0); // 1
 */
export function predictedClass(predictions: Tensor, row: number): number {
  const data = predictions.data;
  const rowStart = predictions.offset + row * predictions.strides[0];
  const classes = predictions.shape[1];
  if (classes === 1) return data[rowStart] >= 0.5 ? 1 : 0;
  const columnStride = predictions.strides[1];
  let best = 0;
  let bestScore = data[rowStart];
  for (let column = 1; column < classes; column++) {
    const score = data[rowStart + column * columnStride];
    if (score > bestScore) {
      bestScore = score;
      best = column;
    }
  }
  return best;
}

/**
 * The true class of one row: the index itself for `[N]` or `[N, 1]` targets, the arg-max for
 * one-hot `[N, C]` targets.
 *
 * @example
 * targetClass(tensor([[0, 0, 1]]), 0); // 2 (one-hot row)
 */
export function targetClass(targets: Tensor, row: number): number {
  const rowStart = targets.offset + row * targets.strides[0];
  if (targets.shape.length === 1 || targets.shape[1] === 1) return Math.round(targets.data[rowStart]);
  return predictedClass(targets, row);
}

/**
 * {@link targetClass}, checked to lie in `[0, classes)`; throws an `AnnetError` naming `operation` otherwise.
 *
 * @example
 * checkedTargetClass(tensor([7]), 0, 3, 'accuracy'); // throws: target class 7 in row 0 is outside [0, 3)
 */
export function checkedTargetClass(targets: Tensor, row: number, classes: number, operation: string): number {
  const target = targetClass(targets, row);
  if (!(target >= 0 && target < classes)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `target class ${target} in row ${row} is outside [0, ${classes}); targets must be class indices or one-hot rows`,
    );
  }
  return target;
}

/**
 * Number of classes a prediction tensor scores: its columns, or 2 for one sigmoid column.
 *
 * @example
 * classCount(zeros([8, 1])); // 2
 */
export function classCount(predictions: Tensor): number {
  return predictions.shape[1] === 1 ? 2 : predictions.shape[1];
}

/**
 * Checks classification inputs: predictions `[N, C]`, targets `[N]` of class indices, `[N, 1]`
 * or one-hot `[N, C]`. Throws an `AnnetError` naming `operation` otherwise.
 *
 * @example
 * checkClassificationInputs(zeros([4, 3]), zeros([4]), 'accuracy'); // fine
 */
export function checkClassificationInputs(predictions: Tensor, targets: Tensor, operation: string): void {
  if (predictions.shape.length !== 2 || predictions.shape[1] < 1) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected predictions of shape [batch,classes], got ${formatShape(predictions.shape)}`,
    );
  }
  const rows = predictions.shape[0];
  const targetsFit =
    targets.shape[0] === rows &&
    (targets.shape.length === 1 ||
      (targets.shape.length === 2 && (targets.shape[1] === 1 || targets.shape[1] === predictions.shape[1])));
  if (!targetsFit) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `targets of shape ${formatShape(targets.shape)} do not fit predictions of shape ${formatShape(predictions.shape)}; expected [${rows}] class indices or one-hot [${rows},${predictions.shape[1]}]`,
    );
  }
}

/**
 * Reads a finite number (a counter or a running sum) out of saved metric state, or throws.
 *
 * @example
 * readCount({ correct: 3 }, 'correct', 'Accuracy'); // 3
 */
export function readCount(state: Readonly<Record<string, unknown>>, key: string, operation: string): number {
  const value = state[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `saved state needs a finite number "${key}", got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
