import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { blockArgmax, blockArgmin, blockMax, blockMin, blockMean, blockProduct, blockSum } from './block-reducers.js';
import type { FloatResult } from './dtype-rules.js';
import type { Axes } from './reduce-plan.js';
import { runReduction, type ReduceOptions } from './reduce-engine.js';
import { floatResult } from './unary-engine.js';

/*
 * Reductions over any axis or list of axes (negative axes count from the end; none means all),
 * with keepDims and an `out` option. Accumulation rule: sums, products and means accumulate in
 * a float64 variable, element by element in row-major order over the reduced axes, and round
 * once to the result dtype. Results are bit-identical from run to run.
 */

/**
 * Σ x over `axis` (all axes by default). int32 stays int32 (wrapping modulo 2^32).
 *
 * @example
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * sum(x);            // 21 (shape [])
 * sum(x, 0);         // [5, 7, 9]
 * sum(x, -1, true);  // [[6], [15]]
 */
export function sum<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<D> {
  return runReduction('sum', x, axis, keepDims, options, x.dtype, blockSum) as Tensor<D>;
}

/**
 * Π x over `axis` (1 for no elements). int32 stays int32.
 *
 * @example
 * prod(tensor([[1, 2], [3, 4]]), 1); // [2, 12]
 */
export function prod<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<D> {
  return runReduction('prod', x, axis, keepDims, options, x.dtype, blockProduct) as Tensor<D>;
}

/**
 * The arithmetic mean over `axis`: Σ x / n with a float64 sum (NaN for no elements). int32
 * gives float32.
 *
 * @example
 * mean(tensor([[1, 2], [3, 5]]), 0); // [2, 3.5]
 */
export function mean<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<FloatResult<D>> {
  return runReduction('mean', x, axis, keepDims, options, floatResult(x.dtype), blockMean) as Tensor<FloatResult<D>>;
}

/**
 * The largest element over `axis` (NaN if any is NaN). Reducing zero elements is an error.
 *
 * @example
 * max(tensor([[1, 9], [7, 3]]), 1); // [9, 7]
 */
export function max<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<D> {
  return runReduction('max', x, axis, keepDims, options, x.dtype, blockMax, true) as Tensor<D>;
}

/**
 * The smallest element over `axis` (NaN if any is NaN). Reducing zero elements is an error.
 *
 * @example
 * min(tensor([[1, 9], [7, 3]]), 0); // [1, 3]
 */
export function min<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<D> {
  return runReduction('min', x, axis, keepDims, options, x.dtype, blockMin, true) as Tensor<D>;
}

/**
 * Index (int32) of the largest element along one axis, the first on ties (and the first NaN,
 * as NumPy). Like TensorFlow.js's `argMax`, the axis defaults to 0.
 *
 * @example
 * argmax(tensor([[1, 9, 9], [7, 3, 0]]), 1); // int32 [1, 0]
 */
export function argmax(x: Tensor, axis = 0, keepDims = false, options: ReduceOptions = {}): Tensor<'int32'> {
  return runReduction('argmax', x, axis, keepDims, options, 'int32', blockArgmax, true) as Tensor<'int32'>;
}

/**
 * Index (int32) of the smallest element along one axis, the first on ties (and the first NaN,
 * as NumPy). Like TensorFlow.js's `argMin`, the axis defaults to 0.
 *
 * @example
 * argmin(tensor([[1, 9], [7, 3]]), 0); // int32 [0, 1]
 */
export function argmin(x: Tensor, axis = 0, keepDims = false, options: ReduceOptions = {}): Tensor<'int32'> {
  return runReduction('argmin', x, axis, keepDims, options, 'int32', blockArgmin, true) as Tensor<'int32'>;
}
