import type { DType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { toIndexTensor, type IndicesLike } from './indices.js';
import { newTensor } from './new-tensor.js';
import { assertTensor } from './validate.js';

/**
 * Takes slices of `x` along `axis` at `indices` (TensorFlow.js's `gather`, NumPy's `take`):
 * the result has shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Negative indices
 * count from the end. Always copies.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * gather(x, [2, 0]);     // [[5, 6], [1, 2]]   (rows, e.g. a mini-batch)
 * gather(x, [1], 1);     // [[2], [4], [6]]
 */
export function gather<D extends DType>(x: Tensor<D>, indices: IndicesLike, axis = 0): Tensor<D> {
  const operation = 'gather';
  assertTensor(x, operation, 'x');
  const along = normalizeAxis(axis, x.rank, operation);
  const index = toIndexTensor(indices, operation);
  const dimension = x.shape[along];
  const picks = index.toTypedArray();
  for (let position = 0; position < picks.length; position++) {
    const value = picks[position];
    if (value < -dimension || value >= dimension) {
      throw new AnnetError('INDEX_OUT_OF_RANGE', operation, `index ${value} is out of range for axis ${along} of size ${dimension} (shape ${formatShape(x.shape)})`);
    }
  }
  const before = x.shape.slice(0, along);
  const after = x.shape.slice(along + 1);
  const out = newTensor(x.dtype, [...before, ...index.shape, ...after]);
  if (out.size === 0) return out;
  // View the result as [before, picks, after] and copy one slice of x per pick.
  const grouped = out.reshape([...before, picks.length, ...after]);
  for (let position = 0; position < picks.length; position++) {
    const value = picks[position] < 0 ? picks[position] + dimension : picks[position];
    const prefix = before.map(() => null);
    copyInto(grouped.slice(...prefix, position), x.slice(...prefix, value));
  }
  return out;
}
