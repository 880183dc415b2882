import { allocate, type DType, type TypedArrayFor } from '../dtype.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * A fresh zero-filled row-major tensor (shape trusted: callers have validated it).
 *
 * @example
 * const out = newTensor('float32', [2, 3]);
 */
export function newTensor<D extends DType>(dtype: D, shape: readonly number[]): Tensor<D> {
  return new Tensor(allocate(dtype, sizeOf(shape)) as TypedArrayFor[D], shape);
}
