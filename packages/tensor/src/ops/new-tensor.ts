import { allocate, type DType, type TypedArrayFor } from '../dtype.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * A fresh zero-filled row-major tensor (shape trusted: callers have validated it). `operation`
 * names the op in the error when the engine cannot allocate that many elements.
 *
 * @example
 * const out = newTensor('float32', [2, 3]);
 */
export function newTensor<D extends DType>(dtype: D, shape: readonly number[], operation = 'allocate'): Tensor<D> {
  return new Tensor(allocate(dtype, sizeOf(shape), operation) as TypedArrayFor[D], shape);
}
