import { Tensor, allocate, type DType } from '@annet/tensor';
import { checkLabels } from './check-labels.js';

/**
 * One-hot encodes class indices: label `k` becomes a row of `numClasses` zeros with a 1 at `k`.
 * The result has shape `[...labels.shape, numClasses]`. Labels must be integers in
 * `[0, numClasses)`; the first one outside is named in the error.
 *
 * @example
 * oneHot([2, 0], 3).toArray(); // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(
  labels: Tensor | ArrayLike<number>,
  numClasses: number,
  options: { dtype?: DType } = {},
): Tensor {
  const values = labels instanceof Tensor ? labels.toTypedArray() : labels;
  const shape = labels instanceof Tensor ? labels.shape : [labels.length];
  checkLabels(values, numClasses, 'oneHot');
  const data = allocate(options.dtype ?? 'float32', values.length * numClasses);
  for (let position = 0; position < values.length; position++) data[position * numClasses + values[position]] = 1;
  return new Tensor(data, [...shape, numClasses]);
}
