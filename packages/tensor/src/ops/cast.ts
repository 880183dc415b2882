import { assertDType, type DType } from '../dtype.js';
import { AnnetError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { ElementwiseOptions } from './binary-engine.js';
import { elementwiseUnary } from './unary-engine.js';
import { UnaryCode } from './unary-kernels.js';
import { assertTensor } from './validate.js';

/** Options of {@link cast}. */
export interface CastOptions extends ElementwiseOptions {
  /**
   * What float → int32 does with a value int32 cannot hold (NaN, ±Infinity, or a truncation
   * outside [-2^31, 2^31)): `'error'` (the default) refuses the whole cast before writing
   * anything; `'wrap'` follows Int32Array rules (NaN and ±Infinity become 0, the rest wraps
   * modulo 2^32), as NumPy's `astype` does on most platforms.
   */
  outOfRange?: 'error' | 'wrap';
}

/**
 * A copy of `x` converted to `dtype` (always a copy, even when the dtype is unchanged).
 * Floats become int32 by truncation toward zero; a value int32 cannot hold is an error unless
 * `outOfRange: 'wrap'`. float64 becomes float32 by rounding to nearest (overflowing to ±Infinity
 * as IEEE 754 does).
 *
 * @example
 * cast(tensor([1.7, -1.7]), 'int32');                            // int32 [1, -1]
 * cast(tensor([2 ** 31], { dtype: 'float64' }), 'int32');        // throws INVALID_ARGUMENT
 * cast(tensor([2 ** 31], { dtype: 'float64' }), 'int32', { outOfRange: 'wrap' }); // int32 [-2147483648]
 */
export function cast<D extends DType>(x: Tensor, dtype: D, options: CastOptions = {}): Tensor<D> {
  assertDType(dtype, 'cast');
  assertTensor(x, 'cast', 'x');
  const outOfRange = options.outOfRange ?? 'error';
  if (outOfRange !== 'error' && outOfRange !== 'wrap') {
    throw new AnnetError('INVALID_ARGUMENT', 'cast', `outOfRange must be 'error' or 'wrap', got ${String(outOfRange)}`);
  }
  if (dtype === 'int32' && x.dtype !== 'int32' && outOfRange === 'error') assertInt32Range(x);
  return elementwiseUnary('cast', UnaryCode.copy, x, dtype, options) as Tensor<D>;
}

/** Throws naming the first element whose truncation int32 cannot hold (NaN, ±Infinity, |x| ≥ 2^31). */
function assertInt32Range(x: Tensor): void {
  const data = x.data;
  let offending = -1;
  let value = 0;
  x.forEachIndex((dataIndex, flatIndex) => {
    const truncated = Math.trunc(data[dataIndex]);
    if (offending < 0 && !(truncated >= -2147483648 && truncated <= 2147483647)) {
      offending = flatIndex;
      value = data[dataIndex];
    }
  });
  if (offending < 0) return;
  throw new AnnetError(
    'INVALID_ARGUMENT',
    'cast',
    `element ${offending} (in row-major order) is ${value}, which int32 cannot hold; expected finite values whose truncation lies in [-2^31, 2^31) (pass { outOfRange: 'wrap' } for Int32Array wrapping)`,
  );
}
