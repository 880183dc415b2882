import type { FloatDType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { elementwiseBinary, type ElementwiseOptions } from './binary-engine.js';
import { BinaryCode } from './binary-kernels.js';
import { divisionDType, promoteDTypes } from './dtype-rules.js';
import { toTensorPair, type TensorOrNumber } from './operands.js';

/*
 * Arithmetic with NumPy broadcasting. Result dtype: float64 if either operand is float64, else
 * float32 if either is float32, else int32 (int32 / int32 is float32). A plain number takes the
 * other operand's dtype (float32 if it is not an integer and the other is int32). int32
 * results wrap modulo 2^32, as Int32Array stores do.
 */

function arithmetic(operation: string, code: BinaryCode, a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions): Tensor {
  const [x, y] = toTensorPair(a, b, operation);
  return elementwiseBinary(operation, code, x, y, promoteDTypes(x.dtype, y.dtype), options);
}

/**
 * a + b, elementwise with broadcasting.
 *
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])); // [[11, 22], [13, 24]]
 * add(weights, update, { out: weights });          // in place
 */
export function add<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function add(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
export function add(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor {
  return arithmetic('add', BinaryCode.add, a, b, options);
}

/**
 * a − b, elementwise with broadcasting.
 *
 * @example
 * sub(tensor([5, 7]), 2); // [3, 5]
 */
export function sub<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function sub(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
export function sub(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor {
  return arithmetic('sub', BinaryCode.sub, a, b, options);
}

/**
 * a · b, elementwise with broadcasting (int32 × int32 is exact modulo 2^32, via `Math.imul`).
 *
 * @example
 * mul(tensor([1, 2, 3]), 2); // [2, 4, 6]
 */
export function mul<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function mul(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
export function mul(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor {
  const [x, y] = toTensorPair(a, b, 'mul');
  const dtype = promoteDTypes(x.dtype, y.dtype);
  return elementwiseBinary('mul', dtype === 'int32' ? BinaryCode.mulInt32 : BinaryCode.mul, x, y, dtype, options);
}

/**
 * a / b, elementwise with broadcasting; true division (int32 / int32 gives float32). Division
 * by zero gives ±Infinity or NaN, as in IEEE 754.
 *
 * @example
 * div(tensor([1, 2], { dtype: 'int32' }), tensor([2, 2], { dtype: 'int32' })); // float32 [0.5, 1]
 */
export function div<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function div(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor<FloatDType>;
export function div(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor<FloatDType> {
  const [x, y] = toTensorPair(a, b, 'div');
  return elementwiseBinary('div', BinaryCode.div, x, y, divisionDType(x.dtype, y.dtype), options) as Tensor<FloatDType>;
}

/**
 * a ** b, elementwise with broadcasting (`Math.pow`; an int32 result is truncated toward zero,
 * so 2 ** -1 is 0 in int32).
 *
 * @example
 * pow(tensor([1, 2, 3]), 2); // [1, 4, 9]
 */
export function pow<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function pow(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
export function pow(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor {
  return arithmetic('pow', BinaryCode.pow, a, b, options);
}

/**
 * The larger of a and b, elementwise with broadcasting (NaN if either is NaN).
 *
 * @example
 * maximum(tensor([1, 5]), tensor([3, 2])); // [3, 5]
 */
export function maximum<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function maximum(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
export function maximum(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor {
  return arithmetic('maximum', BinaryCode.maximum, a, b, options);
}

/**
 * The smaller of a and b, elementwise with broadcasting (NaN if either is NaN).
 *
 * @example
 * minimum(tensor([1, 5]), 2); // [1, 2]
 */
export function minimum<D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
export function minimum(a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
export function minimum(a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor {
  return arithmetic('minimum', BinaryCode.minimum, a, b, options);
}
