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
 * Allocates a zero-filled typed array of `dtype` with `length` elements. A length the
 * JavaScript engine cannot allocate (V8 caps a typed array at 2^32 elements, and memory may run
 * out first) is an {@link AnnetError} naming `operation`, not the engine's bare `RangeError`.
 *
 * @example
 * allocate('float64', 3);               // Float64Array [0, 0, 0]
 * allocate('float32', 1e10, 'zeros');   // throws 'zeros: cannot allocate 10000000000 float32 elements (40 GB) ...'
 */
export function allocate<D extends DType>(dtype: D, length: number, operation = 'allocate'): TypedArrayFor[D] {
  try {
    return new constructors[dtype](length) as TypedArrayFor[D];
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const bytes = length * bytesPerElement[dtype];
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `cannot allocate ${length} ${dtype} elements (${formatBytes(bytes)}): the JavaScript engine refused (${error.message}); use a smaller shape`,
      { cause: error },
    );
  }
}

/** `40 GB`, `1.5 MB`: a byte count for messages (decimal units). */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${Number(value.toPrecision(3))} ${units[unit]}`;
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
  throw new AnnetError(
    'DTYPE_MISMATCH',
    operation,
    `unsupported array type ${Object.prototype.toString.call(array)}; expected Float32Array, Float64Array or Int32Array`,
  );
}

/**
 * Checks that a string names a dtype.
 *
 * @example
 * assertDType(options.dtype, 'zeros'); // throws DTYPE_MISMATCH for 'uint8'
 */
export function assertDType(dtype: unknown, operation: string): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32') {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `unknown dtype ${JSON.stringify(dtype)}; expected 'float32', 'float64' or 'int32'`,
    );
  }
}

/** Bytes per element of each dtype. */
export const bytesPerElement: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4 };
