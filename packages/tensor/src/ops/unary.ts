import type { DType } from '../dtype.js';
import { AnnetError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { ElementwiseOptions } from './binary-engine.js';
import type { FloatResult } from './dtype-rules.js';
import { elementwiseUnary, floatResult } from './unary-engine.js';
import { UnaryCode } from './unary-kernels.js';
import { assertTensor } from './validate.js';

/*
 * Elementwise unary ops. neg, abs, square, sign, relu and clip keep the input dtype; exp, log,
 * log1p, sqrt, reciprocal, tanh and sigmoid return the input's float dtype (float32 for int32).
 * Every op accepts `{ out }`, which may be the input itself.
 */

/**
 * −x.
 *
 * @example
 * neg(tensor([1, -2])); // [-1, 2]
 */
export function neg<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<D> {
  return elementwiseUnary('neg', UnaryCode.neg, x, x.dtype, options) as Tensor<D>;
}

/**
 * |x|.
 *
 * @example
 * abs(tensor([-1.5, 2])); // [1.5, 2]
 */
export function abs<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<D> {
  return elementwiseUnary('abs', UnaryCode.abs, x, x.dtype, options) as Tensor<D>;
}

/**
 * eˣ.
 *
 * @example
 * exp(tensor([0, 1])); // [1, 2.7182817]
 */
export function exp<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('exp', UnaryCode.exp, x, floatResult(x.dtype), options) as Tensor<FloatResult<D>>;
}

/**
 * ln x (−Infinity at 0, NaN below).
 *
 * @example
 * log(tensor([1, Math.E])); // [0, 1]
 */
export function log<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('log', UnaryCode.log, x, floatResult(x.dtype), options) as Tensor<FloatResult<D>>;
}

/**
 * ln(1 + x), accurate for tiny x.
 *
 * @example
 * log1p(tensor([1e-10], { dtype: 'float64' })); // [1e-10]
 */
export function log1p<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('log1p', UnaryCode.log1p, x, floatResult(x.dtype), options) as Tensor<FloatResult<D>>;
}

/**
 * √x (NaN below 0).
 *
 * @example
 * sqrt(tensor([4, 9])); // [2, 3]
 */
export function sqrt<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('sqrt', UnaryCode.sqrt, x, floatResult(x.dtype), options) as Tensor<FloatResult<D>>;
}

/**
 * x² (int32 wraps modulo 2^32).
 *
 * @example
 * square(tensor([-3, 2])); // [9, 4]
 */
export function square<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<D> {
  return elementwiseUnary(
    'square',
    x.dtype === 'int32' ? UnaryCode.squareInt32 : UnaryCode.square,
    x,
    x.dtype,
    options,
  ) as Tensor<D>;
}

/**
 * 1 / x.
 *
 * @example
 * reciprocal(tensor([2, 4])); // [0.5, 0.25]
 */
export function reciprocal<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('reciprocal', UnaryCode.reciprocal, x, floatResult(x.dtype), options) as Tensor<
    FloatResult<D>
  >;
}

/**
 * −1, 0 or 1 by the sign of x (NaN stays NaN).
 *
 * @example
 * sign(tensor([-2, 0, 5])); // [-1, 0, 1]
 */
export function sign<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<D> {
  return elementwiseUnary('sign', UnaryCode.sign, x, x.dtype, options) as Tensor<D>;
}

/**
 * tanh x.
 *
 * @example
 * tanh(tensor([0])); // [0]
 */
export function tanh<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('tanh', UnaryCode.tanh, x, floatResult(x.dtype), options) as Tensor<FloatResult<D>>;
}

/**
 * The logistic function σ(x) = 1 / (1 + e⁻ˣ), computed as eˣ / (1 + eˣ) for x < 0 so that it
 * never overflows.
 *
 * @example
 * sigmoid(tensor([0, -1000, 1000])); // [0.5, 0, 1]
 */
export function sigmoid<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<FloatResult<D>> {
  return elementwiseUnary('sigmoid', UnaryCode.sigmoid, x, floatResult(x.dtype), options) as Tensor<FloatResult<D>>;
}

/**
 * max(x, 0) (NaN stays NaN).
 *
 * @example
 * relu(tensor([-1, 0.5])); // [0, 0.5]
 */
export function relu<D extends DType>(x: Tensor<D>, options: ElementwiseOptions = {}): Tensor<D> {
  return elementwiseUnary('relu', UnaryCode.relu, x, x.dtype, options) as Tensor<D>;
}

/**
 * min(max(x, low), high): limits every element to [low, high] (NaN stays NaN).
 *
 * @example
 * clip(tensor([-5, 0.5, 5]), -1, 1); // [-1, 0.5, 1]
 */
export function clip<D extends DType>(
  x: Tensor<D>,
  low: number,
  high: number,
  options: ElementwiseOptions = {},
): Tensor<D> {
  assertTensor(x, 'clip', 'x');
  if (typeof low !== 'number' || typeof high !== 'number' || Number.isNaN(low) || Number.isNaN(high) || low > high) {
    throw new AnnetError('INVALID_ARGUMENT', 'clip', `expected numbers low <= high, got low ${low} and high ${high}`);
  }
  return elementwiseUnary('clip', UnaryCode.clip, x, x.dtype, options, low, high) as Tensor<D>;
}
