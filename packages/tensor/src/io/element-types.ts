import type { DType, TypedArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { ioError, type IoContext } from './io-context.js';

/**
 * How elements are stored in a file (NPY `descr`, safetensors `dtype`). Readers widen the types
 * annet does not hold into one it does: see {@link decodedDTypeOf}.
 */
export type StorageType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64';

/** The in-memory element types readers produce: the tensor dtypes plus raw bytes. */
export type DecodedDType = DType | 'uint8';

/** The typed array for each {@link DecodedDType}. */
export type DecodedArray = TypedArray | Uint8Array;

/** Bytes per element of each {@link StorageType}. */
export const storageByteSize: Readonly<Record<StorageType, number>> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
};

/** True on little-endian machines (all mainstream ones); file data is little-endian. */
export const hostIsLittleEndian: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The in-memory type a stored type decodes to: `bool`/`uint8` stay bytes; the other integers
 * become `int32` (64-bit and unsigned 32-bit ones only when every value fits); `float16` and
 * `bfloat16` widen exactly to `float32`; `float32`/`float64`/`int32` are kept.
 *
 * @example
 * decodedDTypeOf('int64'); // 'int32'
 */
export function decodedDTypeOf(type: StorageType): DecodedDType {
  switch (type) {
    case 'bool':
    case 'uint8':
      return 'uint8';
    case 'float16':
    case 'bfloat16':
    case 'float32':
      return 'float32';
    case 'float64':
      return 'float64';
    default:
      return 'int32';
  }
}

/** Where elements sit in a byte array and how they are stored. */
export interface ElementLayout {
  /** Index in the byte array of the first element. */
  readonly byteOffset: number;
  /** Number of elements. */
  readonly count: number;
  /** The stored type. */
  readonly type: StorageType;
  /** Byte order of multi-byte elements. */
  readonly littleEndian: boolean;
}

/**
 * Reads elements from `bytes` into the array type of {@link decodedDTypeOf}.
 *
 * Copies at most once: when the stored order matches the machine, the type is kept and the
 * position is aligned, the result is a view sharing memory with `bytes` (unless `copy` is set);
 * otherwise it is one fresh array. Integers that do not fit in int32 are an error naming the
 * element, never a silent wrap.
 *
 * @example
 * const bytes = new Uint8Array(new Float32Array([1, 2]).buffer);
 * decodeElements(bytes, { byteOffset: 0, count: 2, type: 'float32', littleEndian: true }, context); // Float32Array [1, 2], a view
 */
export function decodeElements(
  bytes: Uint8Array,
  layout: ElementLayout,
  context: IoContext,
  copy = false,
): DecodedArray {
  const { byteOffset, count, type, littleEndian } = layout;
  const size = storageByteSize[type];
  if (
    !Number.isSafeInteger(byteOffset) ||
    !Number.isSafeInteger(count) ||
    byteOffset < 0 ||
    count < 0 ||
    byteOffset + count * size > bytes.length
  ) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `${count} elements of ${type} at byte ${byteOffset} run past the end of ${bytes.length} bytes`,
    );
  }
  if (size === 1 && (type === 'uint8' || type === 'bool')) {
    return copy ? copyBytes(bytes, byteOffset, byteOffset + count) : bytes.subarray(byteOffset, byteOffset + count);
  }
  if (type === 'float32' || type === 'float64' || type === 'int32') {
    if (littleEndian === hostIsLittleEndian) return sameOrderArray(bytes, byteOffset, count, type, copy);
    const out = new sameOrderConstructors[type](count);
    reverseElementBytes(bytes.subarray(byteOffset, byteOffset + count * size), new Uint8Array(out.buffer), 0, size);
    return out;
  }
  return convertElements(bytes, layout, context);
}

const sameOrderConstructors = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

function sameOrderArray(bytes: Uint8Array, byteOffset: number, count: number, type: DType, copy: boolean): TypedArray {
  const Constructor = sameOrderConstructors[type];
  const start = bytes.byteOffset + byteOffset;
  if (!copy && start % Constructor.BYTES_PER_ELEMENT === 0)
    return new Constructor(bytes.buffer as ArrayBuffer, start, count);
  // The copy starts at 0 of a fresh buffer, so the view over it is aligned: one copy.
  const copied = copyBytes(bytes, byteOffset, byteOffset + count * Constructor.BYTES_PER_ELEMENT);
  return new Constructor(copied.buffer as ArrayBuffer, 0, count);
}

/**
 * A fresh copy of `bytes[start, end)`. Not `bytes.slice()`: on a Node `Buffer` that is a view.
 *
 * @example
 * copyBytes(Buffer.from([1, 2, 3]), 1, 3); // Uint8Array [2, 3] over its own ArrayBuffer
 */
export function copyBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(bytes.subarray(start, end));
  return out;
}

/**
 * Copies `source` into `target` at `byteOffset` reversing the bytes of each `size`-byte element:
 * the exact bit pattern (NaN payloads included) in the other byte order, whatever the machine's.
 */
function reverseElementBytes(source: Uint8Array, target: Uint8Array, byteOffset: number, size: number): void {
  for (let element = 0; element < source.length; element += size) {
    for (let byte = 0; byte < size; byte++) target[byteOffset + element + byte] = source[element + size - 1 - byte];
  }
}

/** The element-by-element path for types annet widens: narrow or wide integers, half floats. */
function convertElements(bytes: Uint8Array, layout: ElementLayout, context: IoContext): TypedArray {
  const { byteOffset, count, type, littleEndian } = layout;
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * storageByteSize[type]);
  if (type === 'float16' || type === 'bfloat16') return convertToFloat32(view, count, type, littleEndian);
  return convertToInt32(view, layout, context);
}

function convertToFloat32(
  view: DataView,
  count: number,
  type: 'bfloat16' | 'float16',
  littleEndian: boolean,
): Float32Array {
  const out = new Float32Array(count);
  if (type === 'bfloat16') {
    // bfloat16 is the top half of a float32: shifting the bits back is exact.
    const bits = new Uint32Array(out.buffer);
    for (let index = 0; index < count; index++) bits[index] = view.getUint16(index * 2, littleEndian) << 16;
  } else {
    for (let index = 0; index < count; index++) out[index] = float16ToNumber(view.getUint16(index * 2, littleEndian));
  }
  return out;
}

/**
 * IEEE 754 binary16 to a number: `(-1)^s × 2^(e−15) × (1 + f/1024)`, subnormals `2^−14 × f/1024`.
 *
 * @example
 * float16ToNumber(0x3c00); // 1
 */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function convertToInt32(view: DataView, layout: ElementLayout, context: IoContext): Int32Array {
  const { count, type, littleEndian } = layout;
  const out = new Int32Array(count);
  const outOfRange = (index: number, value: bigint | number) =>
    ioError(
      context,
      'DTYPE_MISMATCH',
      `element ${index} of a ${type} array is ${value}, outside the int32 range annet tensors hold; convert the array to float64 (or to values in [-2^31, 2^31)) before saving it`,
    );
  for (let index = 0; index < count; index++) {
    switch (type) {
      case 'int8':
        out[index] = view.getInt8(index);
        break;
      case 'int16':
        out[index] = view.getInt16(index * 2, littleEndian);
        break;
      case 'uint16':
        out[index] = view.getUint16(index * 2, littleEndian);
        break;
      case 'uint32': {
        const value = view.getUint32(index * 4, littleEndian);
        if (value > 0x7fffffff) throw outOfRange(index, value);
        out[index] = value;
        break;
      }
      default: {
        // int64 / uint64: the value fits in int32 exactly when the high word is the sign extension of the low word.
        const low = view.getUint32(index * 8 + (littleEndian ? 0 : 4), littleEndian);
        const high = view.getUint32(index * 8 + (littleEndian ? 4 : 0), littleEndian);
        const fits =
          type === 'int64'
            ? (high === 0 && low <= 0x7fffffff) || (high === 0xffffffff && low >= 0x80000000)
            : high === 0 && low <= 0x7fffffff;
        if (!fits)
          throw outOfRange(
            index,
            type === 'int64' ? view.getBigInt64(index * 8, littleEndian) : view.getBigUint64(index * 8, littleEndian),
          );
        out[index] = low | 0;
      }
    }
  }
  return out;
}

/**
 * Writes `count` elements of `array` starting at element `start` into `target` at `byteOffset`,
 * in the given byte order: one byte copy when the order matches the machine, a byte-reversing copy
 * otherwise (exact bit patterns either way). The caller sizes `target`.
 *
 * @example
 * const target = new Uint8Array(8);
 * encodeElements(new Float32Array([1, 2]), 0, 2, target, 0, true); // target holds 1 and 2 as little-endian float32
 */
export function encodeElements(
  array: DecodedArray,
  start: number,
  count: number,
  target: Uint8Array,
  byteOffset: number,
  littleEndian: boolean,
): void {
  const size = array.BYTES_PER_ELEMENT;
  if (count === 0) return;
  if (size === 1 || littleEndian === hostIsLittleEndian) {
    target.set(new Uint8Array(array.buffer, array.byteOffset + start * size, count * size), byteOffset);
    return;
  }
  reverseElementBytes(
    new Uint8Array(array.buffer, array.byteOffset + start * size, count * size),
    target,
    byteOffset,
    size,
  );
}

/**
 * Writes a tensor's elements in row-major order and the given byte order into `target` at
 * `byteOffset` (`tensor.size × bytesPerElement` bytes). Views with strides are gathered first.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]).transpose();
 * const target = new Uint8Array(16);
 * writeTensorElements(x, target, 0); // 1, 3, 2, 4 as little-endian float32
 */
export function writeTensorElements(tensor: Tensor, target: Uint8Array, byteOffset: number, littleEndian = true): void {
  const dense = tensor.isContiguous ? tensor : tensor.contiguous(true);
  encodeElements(dense.data, dense.offset, dense.size, target, byteOffset, littleEndian);
}
