import { assertDType, type DType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { toIndexTensor, type IndicesLike } from './indices.js';
import { newTensor } from './new-tensor.js';

/**
 * One-hot encoding: shape `[...indices.shape, depth]`, `onValue` at each index and
 * `offValue` elsewhere (TensorFlow.js's `oneHot`; unlike it, the dtype defaults to float32,
 * since one-hot targets usually feed a loss). An index outside [0, depth) is an error.
 *
 * @example
 * oneHot([2, 0], 3); // float32 [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot<D extends DType = 'float32'>(
  indices: IndicesLike,
  depth: number,
  onValue = 1,
  offValue = 0,
  dtype: D = 'float32' as D,
): Tensor<D> {
  const operation = 'oneHot';
  assertDType(dtype, operation);
  if (!Number.isSafeInteger(depth) || depth < 0) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `depth must be a non-negative integer, got ${depth}`);
  }
  const index = toIndexTensor(indices, operation);
  const classes = index.toTypedArray();
  const out = newTensor(dtype, [...index.shape, depth]);
  if (offValue !== 0) out.data.fill(offValue);
  for (let position = 0; position < classes.length; position++) {
    const value = classes[position];
    if (value < 0 || value >= depth) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        operation,
        `index ${value} at position ${position} is outside [0, ${depth}) (indices shape ${formatShape(index.shape)})`,
      );
    }
    out.data[position * depth + value] = onValue;
  }
  return out;
}
