import { AnnetError } from './errors.js';

/** The element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32';

/** The floating-point element types. */
export type FloatDType = 'float32' | 'float64';

/** The typed array that backs a tensor of each dtype. */
export interface TypedArrayFor {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

/** Any typed array a tensor can hold. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

const constructors = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/**
 * Allocates a zero-filled typed array of `dtype` with `length` elements.
 *
 * @example
 * allocate('float64', 3); // Float64Array [0, 0, 0]
 */
export function allocate<D extends DType>(dtype: D, length: number): TypedArrayFor[D] {
  return new constructors[dtype](length) as TypedArrayFor[D];
}

/**
 * The dtype of a typed array, or an error for arrays a tensor cannot hold.
 *
 * @example
 * dtypeOfArray(new Int32Array(2), 'tensor'); // 'int32'
 */
export function dtypeOfArray(array: ArrayLike<number>, operation: string): DType {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  throw new AnnetError('DTYPE_MISMATCH', operation, `unsupported array type ${Object.prototype.toString.call(array)}; expected Float32Array, Float64Array or Int32Array`);
}

/**
 * Checks that a string names a dtype.
 *
 * @example
 * assertDType(options.dtype, 'zeros'); // throws DTYPE_MISMATCH for 'uint8'
 */
export function assertDType(dtype: unknown, operation: string): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32') {
    throw new AnnetError('DTYPE_MISMATCH', operation, `unknown dtype ${JSON.stringify(dtype)}; expected 'float32', 'float64' or 'int32'`);
  }
}

/** Bytes per element of each dtype. */
export const bytesPerElement: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4 };
