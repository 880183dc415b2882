import { AnnetError } from '../errors.js';
import { Tensor } from '../tensor.js';

/** Integer indices: an int32 tensor, or a plain array (or Int32Array) of integers. */
export type IndicesLike = Tensor<'int32'> | readonly number[] | Int32Array;

/**
 * The indices as an int32 tensor; anything else (floats, non-integers) is an error naming `operation`.
 *
 * @example
 * toIndexTensor([2, 0], 'gather'); // int32 tensor [2, 0]
 */
export function toIndexTensor(indices: IndicesLike, operation: string): Tensor<'int32'> {
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') {
      throw new AnnetError(
        'DTYPE_MISMATCH',
        operation,
        `indices must be an int32 tensor, got ${indices.dtype}; convert with cast(indices, 'int32')`,
      );
    }
    return indices as Tensor<'int32'>;
  }
  if (indices instanceof Int32Array) return new Tensor(indices, [indices.length]);
  if (!Array.isArray(indices) || !indices.every((index) => Number.isInteger(index))) {
    throw new AnnetError('INVALID_ARGUMENT', operation, 'indices must be an int32 tensor or an array of integers');
  }
  return new Tensor(Int32Array.from(indices), [indices.length]);
}
