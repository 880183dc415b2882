import { AnnetError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import {
  decodeElements,
  encodeElements,
  hostIsLittleEndian,
  storageByteSize,
  writeTensorElements,
  type DecodedArray,
  type DecodedDType,
  type StorageType,
} from './element-types.js';
import { fortranToRowMajor } from './fortran-order.js';
import { ioContext, ioError, type IoContext } from './io-context.js';
import { formatNpyHeader, maximumRank, parseNpyHeader } from './npy-header.js';

/**
 * A plain array as NPY stores it: the tensor dtypes plus `uint8`, which annet tensors do not
 * hold (images and labels usually arrive as bytes). `data.length` is the product of `shape`.
 */
export interface NpyArray {
  /** Element type. */
  readonly dtype: DecodedDType;
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The elements in row-major order; a `Uint8Array` exactly when `dtype` is `uint8`. */
  readonly data: DecodedArray;
}

const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** NumPy pads headers so the data starts on a multiple of 64 bytes. */
const arrayAlignment = 64;
/** Headers above this are corrupt files, not arrays (NumPy's own reader stops at 10 000 bytes). */
export const maximumNpyHeaderLength = 1 << 20;

const kinds: Readonly<Record<string, StorageType>> = {
  b1: 'bool',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
};
const descrOf: Readonly<Record<DecodedDType, string>> = { float32: '<f4', float64: '<f8', int32: '<i4', uint8: '|u1' };

/** The stored type and byte order of a NumPy `descr` such as `<f4`, or an error naming it. */
function parseDescr(descr: string, context: IoContext): { type: StorageType; littleEndian: boolean } {
  const order = descr[0];
  const type = kinds[descr.slice(1)];
  if (type === undefined || !'<>|='.includes(order) || descr.length !== 3) {
    throw ioError(
      context,
      'UNSUPPORTED',
      `dtype '${descr}' is not supported; annet reads the numeric types b1, i1, u1, i2, u2, i4, u4, i8, u8, f2, f4 and f8`,
    );
  }
  if (order === '|' && storageByteSize[type] !== 1) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `dtype '${descr}' uses byte order '|', which NumPy only writes for one-byte types`,
    );
  }
  return { type, littleEndian: order === '>' ? false : order === '<' || order === '|' || hostIsLittleEndian };
}

/** Reads the preamble and header; returns where the data starts and what it holds. */
function readNpyPreamble(bytes: Uint8Array, context: IoContext) {
  if (!(bytes instanceof Uint8Array))
    throw ioError(context, 'INVALID_ARGUMENT', `expected a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 10)
    throw ioError(context, 'PARSE_ERROR', `an NPY file has at least 10 bytes, got ${bytes.length} (truncated?)`);
  for (let index = 0; index < magic.length; index++) {
    if (bytes[index] !== magic[index])
      throw ioError(context, 'PARSE_ERROR', 'not an NPY file: it does not start with the magic string \\x93NUMPY');
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw ioError(
      context,
      'UNSUPPORTED',
      `NPY format version ${major}.${minor} is not supported; expected 1.0, 2.0 or 3.0`,
    );
  }
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix)
    throw ioError(
      context,
      'PARSE_ERROR',
      `a version ${major}.0 NPY file has at least ${prefix} bytes, got ${bytes.length} (truncated?)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, prefix);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > maximumNpyHeaderLength) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `header length ${headerLength} is above the ${maximumNpyHeaderLength}-byte limit`,
    );
  }
  if (prefix + headerLength > bytes.length) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated?)`,
    );
  }
  const headerBytes = bytes.subarray(prefix, prefix + headerLength);
  const text = major === 3 ? decodeUtf8(headerBytes, context) : decodeLatin1(headerBytes);
  return { header: parseNpyHeader(text, context), dataStart: prefix + headerLength };
}

function decodeUtf8(bytes: Uint8Array, context: IoContext): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw ioError(context, 'PARSE_ERROR', 'the version 3.0 header is not valid UTF-8');
  }
}

function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 4096)
    text += String.fromCharCode(...bytes.subarray(start, start + 4096));
  return text;
}

/** The element count of `shape` when `count × itemSize` bytes are available, or an error. */
function checkedElementCount(
  shape: readonly number[],
  itemSize: number,
  available: number,
  context: IoContext,
): number {
  let count = 1;
  for (const dimension of shape) count *= dimension;
  // Dimensions are checked safe integers; a product above the byte budget is a lie however large.
  if (count * itemSize !== available) {
    const needed = count * itemSize;
    throw ioError(
      context,
      'PARSE_ERROR',
      needed > available
        ? `shape ${formatShape(shape)} needs ${needed} data bytes but only ${available} follow the header (truncated?)`
        : `shape ${formatShape(shape)} needs ${needed} data bytes but ${available} follow the header`,
    );
  }
  return count;
}

/**
 * Decodes an NPY file (format versions 1.0, 2.0 and 3.0) into a plain array, keeping `uint8` as
 * bytes. Byte orders `<`, `>` (converted), `|` and `=` are read; `fortran_order: True` data is
 * reordered to row-major; `bool` stays bytes; `int8`/`int16`/`uint16` widen to `int32`;
 * `int64`/`uint32`/`uint64` become `int32` when every value fits (an error otherwise); `float16`
 * widens to `float32`. The result shares memory with `bytes` when no conversion is needed and the
 * data is aligned (clone it before reusing `bytes`); otherwise it is one copy.
 * Every malformed input is an {@link AnnetError} naming `source` and the problem.
 *
 * @example
 * const { dtype, shape, data } = decodeNpyArray(bytes, 'labels.npy'); // 'uint8', [60000], Uint8Array
 */
export function decodeNpyArray(bytes: Uint8Array, source?: string): NpyArray {
  return decodeNpyWith(bytes, ioContext('decodeNpyArray', source));
}

/**
 * {@link decodeNpyArray} reporting errors under the caller's operation name (NPZ members use it).
 *
 * @example
 * decodeNpyWith(bytes, ioContext('decodeNpz', 'data.npz [x.npy]'));
 */
export function decodeNpyWith(bytes: Uint8Array, context: IoContext): NpyArray {
  const { header, dataStart } = readNpyPreamble(bytes, context);
  const { type, littleEndian } = parseDescr(header.descr, context);
  const count = checkedElementCount(header.shape, storageByteSize[type], bytes.length - dataStart, context);
  const data = decodeElements(bytes, { byteOffset: dataStart, count, type, littleEndian }, context);
  const dtype: DecodedDType =
    data instanceof Uint8Array
      ? 'uint8'
      : data instanceof Float32Array
        ? 'float32'
        : data instanceof Float64Array
          ? 'float64'
          : 'int32';
  const ordered = header.fortranOrder && header.shape.length > 1 ? fortranToRowMajor(data, header.shape) : data;
  return { dtype, shape: header.shape.slice(), data: ordered };
}

/**
 * Decodes an NPY file into a {@link Tensor}: as {@link decodeNpyArray}, with `uint8` and `bool`
 * widened to `int32` (annet tensors hold float32, float64 and int32).
 *
 * @example
 * const weights = decodeNpy(await readFile('weights.npy'), 'weights.npy');
 */
export function decodeNpy(bytes: Uint8Array, source?: string): Tensor {
  return npyArrayToTensor(decodeNpyWith(bytes, ioContext('decodeNpy', source)));
}

/**
 * A tensor over the array's data (`uint8` widened to `int32`, one copy; other dtypes shared).
 *
 * @example
 * npyArrayToTensor({ dtype: 'uint8', shape: [2], data: new Uint8Array([1, 2]) }).dtype; // 'int32'
 */
export function npyArrayToTensor(array: NpyArray): Tensor {
  const data = array.data instanceof Uint8Array ? Int32Array.from(array.data) : array.data;
  return new Tensor(data, array.shape);
}

function isTensor(value: Tensor | NpyArray): value is Tensor {
  return typeof value === 'object' && value !== null && 'strides' in value && 'offset' in value;
}

/** Checks an array about to be written and returns its dtype, shape and element count. */
function checkWritable(
  array: Tensor | NpyArray,
  operation: string,
): { dtype: DecodedDType; shape: readonly number[]; count: number } {
  if (typeof array !== 'object' || array === null)
    throw new AnnetError('INVALID_ARGUMENT', operation, `expected a Tensor or an NpyArray, got ${String(array)}`);
  const dtype = array.dtype;
  if (!(dtype in descrOf))
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `cannot write dtype ${JSON.stringify(dtype)}; expected float32, float64, int32 or uint8`,
    );
  const shape = array.shape;
  if (!Array.isArray(shape) || shape.some((dimension) => !Number.isSafeInteger(dimension) || dimension < 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `shape ${Array.isArray(shape) ? formatShape(shape) : String(shape)} must be non-negative integers`,
    );
  }
  if (shape.length > maximumRank)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `rank ${shape.length} is above NumPy's limit of ${maximumRank}`,
    );
  let count = 1;
  for (const dimension of shape) count *= dimension;
  if (!isTensor(array)) {
    const expected = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array }[dtype];
    if (!(array.data instanceof expected))
      throw new AnnetError(
        'DTYPE_MISMATCH',
        operation,
        `dtype ${dtype} needs a ${expected.name}, got ${Object.prototype.toString.call(array.data)}`,
      );
    if (array.data.length !== count)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `shape ${formatShape(shape)} holds ${count} elements but data has ${array.data.length}`,
      );
  }
  return { dtype, shape, count };
}

/**
 * Encodes a tensor, or a plain {@link NpyArray} (use one with a `Uint8Array` for `uint8`), as an
 * NPY version 1.0 file: little-endian (`<f4`, `<f8`, `<i4`, `|u1`), C order, header padded with
 * spaces and a newline so the data starts on a 64-byte boundary, as NumPy writes it.
 *
 * @example
 * const bytes = encodeNpy(tensor([[1, 2], [3, 4]])); // np.load gives array([[1., 2.], [3., 4.]], dtype=float32)
 * encodeNpy({ dtype: 'uint8', shape: [2], data: new Uint8Array([7, 255]) });
 */
export function encodeNpy(array: Tensor | NpyArray): Uint8Array {
  const { dtype, shape, count } = checkWritable(array, 'encodeNpy');
  const dictionary = formatNpyHeader({ descr: descrOf[dtype], fortranOrder: false, shape });
  const unpadded = 10 + dictionary.length + 1;
  const headerText = dictionary + ' '.repeat((arrayAlignment - (unpadded % arrayAlignment)) % arrayAlignment) + '\n';
  const itemSize = dtype === 'uint8' ? 1 : dtype === 'float64' ? 8 : 4;
  const out = new Uint8Array(10 + headerText.length + count * itemSize);
  out.set(magic, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerText.length & 0xff;
  out[9] = headerText.length >>> 8;
  for (let index = 0; index < headerText.length; index++) out[10 + index] = headerText.charCodeAt(index);
  const dataStart = 10 + headerText.length;
  if (isTensor(array)) writeTensorElements(array, out, dataStart);
  else encodeElements(array.data, 0, count, out, dataStart, true);
  return out;
}
