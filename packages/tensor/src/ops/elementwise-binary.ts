import type { FloatDType } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { elementwiseBinary, type ElementwiseOptions } from './binary-engine.js';
import { BinaryCode } from './binary-kernels.js';
import { divisionDType, promoteDTypes } from './dtype-rules.js';
import { toTensor, toTensorPair, type TensorOrNumber } from './operands.js';

/*
 * Arithmetic with NumPy broadcasting. Result dtype: float64 if either operand is float64, else
 * float32 if either is float32, else int32 (int32 / int32 is float32). A plain number takes the
 * other operand's dtype (float32 if it is not an integer and the other is int32). int32
 * results wrap modulo 2^32, as Int32Array stores do.
 */

/**
 * The signature of the arithmetic ops: tensors of one float dtype give that dtype; other
 * operands follow the promotion rule above.
 *
 * @example
 * const op: ArithmeticOp = add;
 */
export interface ArithmeticOp {
  <D extends FloatDType>(a: Tensor<D> | number, b: Tensor<D> | number, options?: ElementwiseOptions): Tensor<D>;
  (a: TensorOrNumber, b: TensorOrNumber, options?: ElementwiseOptions): Tensor;
}

/** An arithmetic op computing `code` with the promoted dtype (`int32Code` when that is int32). */
function arithmeticOp(operation: string, code: BinaryCode, int32Code: BinaryCode = code): ArithmeticOp {
  return ((a: TensorOrNumber, b: TensorOrNumber, options: ElementwiseOptions = {}): Tensor => {
    const x = toTensor(a, b instanceof Tensor ? b.dtype : null, operation, 'a');
    const y = toTensor(b, a instanceof Tensor ? a.dtype : null, operation, 'b');
    const dtype = promoteDTypes(x.dtype, y.dtype);
    return elementwiseBinary(operation, dtype === 'int32' ? int32Code : code, x, y, dtype, options);
  }) as ArithmeticOp;
}

/**
 * a + b, elementwise with broadcasting.
 *
 * @example
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])); // [[11, 22], [13, 24]]
 * add(weights, update, { out: weights });          // in place
 */
export const add: ArithmeticOp = /* @__PURE__ */ arithmeticOp('add', BinaryCode.add);

/**
 * a − b, elementwise with broadcasting.
 *
 * @example
 * sub(tensor([5, 7]), 2); // [3, 5]
 */
export const sub: ArithmeticOp = /* @__PURE__ */ arithmeticOp('sub', BinaryCode.sub);

/**
 * a · b, elementwise with broadcasting (int32 × int32 is exact modulo 2^32, via `Math.imul`).
 *
 * @example
 * mul(tensor([1, 2, 3]), 2); // [2, 4, 6]
 */
export const mul: ArithmeticOp = /* @__PURE__ */ arithmeticOp('mul', BinaryCode.mul, BinaryCode.mulInt32);

/**
 * a / b, elementwise with broadcasting; true division (int32 / int32 gives float32). Division
 * by zero gives ±Infinity or NaN, as in IEEE 754.
 *
 * @example
 * div(tensor([1, 2], { dtype: 'int32' }), tensor([2, 2], { dtype: 'int32' })); // float32 [0.5, 1]
 */
export function div<D extends FloatDType>(
  a: Tensor<D> | number,
  b: Tensor<D> | number,
  options?: ElementwiseOptions,
): Tensor<D>;
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
export const pow: ArithmeticOp = /* @__PURE__ */ arithmeticOp('pow', BinaryCode.pow);

/**
 * The larger of a and b, elementwise with broadcasting (NaN if either is NaN).
 *
 * @example
 * maximum(tensor([1, 5]), tensor([3, 2])); // [3, 5]
 */
export const maximum: ArithmeticOp = /* @__PURE__ */ arithmeticOp('maximum', BinaryCode.maximum);

/**
 * The smaller of a and b, elementwise with broadcasting (NaN if either is NaN).
 *
 * @example
 * minimum(tensor([1, 5]), 2); // [1, 2]
 */
export const minimum: ArithmeticOp = /* @__PURE__ */ arithmeticOp('minimum', BinaryCode.minimum);
