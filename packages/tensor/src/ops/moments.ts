import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { blockLogSumExp, blockStandardDeviation, blockVariance } from './block-reducers.js';
import type { FloatResult } from './dtype-rules.js';
import type { Axes } from './reduce-plan.js';
import { runReduction, type ReduceOptions } from './reduce-engine.js';
import { floatResult } from './unary-engine.js';

/**
 * Population variance over `axis` (divides by n, like TensorFlow.js's `moments` and NumPy's
 * default), two-pass in float64: mean first, then Σ (x − mean)² / n. NaN for no elements.
 *
 * @example
 * variance(tensor([1, 2, 3, 4])); // 1.25 = ((−1.5)² + (−0.5)² + 0.5² + 1.5²) / 4
 */
export function variance<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<FloatResult<D>> {
  return runReduction('variance', x, axis, keepDims, options, floatResult(x.dtype), blockVariance) as Tensor<
    FloatResult<D>
  >;
}

/**
 * Population standard deviation over `axis`: √variance.
 *
 * @example
 * std(tensor([2, 4, 4, 4, 5, 5, 7, 9])); // 2
 */
export function std<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<FloatResult<D>> {
  return runReduction('std', x, axis, keepDims, options, floatResult(x.dtype), blockStandardDeviation) as Tensor<
    FloatResult<D>
  >;
}

/**
 * log Σ exp(x) over `axis`, stable for large inputs: m + log Σ exp(x − m) with m the maximum,
 * summed in float64. −Infinity for no elements.
 *
 * @example
 * logSumExp(tensor([1000, 1000])); // 1000.6931 (log(2e^1000) without overflow)
 */
export function logSumExp<D extends DType>(
  x: Tensor<D>,
  axis?: Axes,
  keepDims = false,
  options: ReduceOptions = {},
): Tensor<FloatResult<D>> {
  return runReduction('logSumExp', x, axis, keepDims, options, floatResult(x.dtype), blockLogSumExp) as Tensor<
    FloatResult<D>
  >;
}
