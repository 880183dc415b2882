import type { Tensor } from '../tensor.js';
import { elementwiseBinary, type ElementwiseOptions } from './binary-engine.js';
import { BinaryCode } from './binary-kernels.js';
import { toTensorPair, type TensorOrNumber } from './operands.js';

/*
 * Comparisons with NumPy broadcasting. The result is an int32 tensor of 1 (true) and 0
 * (false), usable directly as a mask (`mul(x, greater(x, 0))`) or as `where`'s condition.
 * Values are compared as numbers whatever their dtypes; any comparison with NaN is false
 * except notEqual.
 */

function comparison(
  operation: string,
  code: BinaryCode,
  a: TensorOrNumber,
  b: TensorOrNumber,
  options: ElementwiseOptions,
): Tensor<'int32'> {
  const [x, y] = toTensorPair(a, b, operation);
  return elementwiseBinary(operation, code, x, y, 'int32', options) as Tensor<'int32'>;
}

/**
 * 1 where a = b, else 0 (int32).
 *
 * @example
 * equal(tensor([1, 2, 3]), 2); // int32 [0, 1, 0]
 */
export function equal(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<'int32'> {
  return comparison('equal', BinaryCode.equal, a, b, options);
}

/**
 * 1 where a ≠ b, else 0 (int32).
 *
 * @example
 * notEqual(tensor([1, 2, 3]), 2); // int32 [1, 0, 1]
 */
export function notEqual(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<'int32'> {
  return comparison('notEqual', BinaryCode.notEqual, a, b, options);
}

/**
 * 1 where a > b, else 0 (int32).
 *
 * @example
 * greater(tensor([-1, 0, 2]), 0); // int32 [0, 0, 1]
 */
export function greater(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<'int32'> {
  return comparison('greater', BinaryCode.greater, a, b, options);
}

/**
 * 1 where a ≥ b, else 0 (int32).
 *
 * @example
 * greaterEqual(tensor([-1, 0, 2]), 0); // int32 [0, 1, 1]
 */
export function greaterEqual(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<'int32'> {
  return comparison('greaterEqual', BinaryCode.greaterEqual, a, b, options);
}

/**
 * 1 where a < b, else 0 (int32).
 *
 * @example
 * less(tensor([-1, 0, 2]), 0); // int32 [1, 0, 0]
 */
export function less(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<'int32'> {
  return comparison('less', BinaryCode.less, a, b, options);
}

/**
 * 1 where a ≤ b, else 0 (int32).
 *
 * @example
 * lessEqual(tensor([-1, 0, 2]), 0); // int32 [1, 1, 0]
 */
export function lessEqual(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<'int32'> {
  return comparison('lessEqual', BinaryCode.lessEqual, a, b, options);
}
