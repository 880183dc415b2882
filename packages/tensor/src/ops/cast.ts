import { assertDType, type DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import type { ElementwiseOptions } from './binary-engine.js';
import { elementwiseUnary } from './unary-engine.js';
import { UnaryCode } from './unary-kernels.js';

/**
 * A copy of `x` converted to `dtype` (always a copy, even when the dtype is unchanged).
 * Floats become int32 by truncation toward zero, wrapping modulo 2^32 (Int32Array rules);
 * float64 becomes float32 by rounding to nearest.
 *
 * @example
 * cast(tensor([1.7, -1.7]), 'int32'); // int32 [1, -1]
 */
export function cast<D extends DType>(x: Tensor, dtype: D, options: ElementwiseOptions = {}): Tensor<D> {
  assertDType(dtype, 'cast');
  return elementwiseUnary('cast', UnaryCode.copy, x, dtype, options) as Tensor<D>;
}
