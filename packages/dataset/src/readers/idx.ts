import { AnnetError, Tensor, allocate, formatShape, type DType } from '@annet/tensor';
import { readByteSource, sourceNameOf, type ByteSource } from '../byte-source.js';
import { asBytes, isGzip, type ByteInput } from '../bytes.js';
import { sourceError } from '../errors.js';
import { checkLabels } from '../preprocessing/check-labels.js';
import { gunzip } from './gunzip.js';
import { checkOptionNames } from './check-options.js';

/** The IDX element types: type code → name, bytes per element, and the DataView getter. */
const elementTypes: Record<number, { name: string; size: number; read: (view: DataView, offset: number) => number }> = {
  0x08: { name: 'uint8', size: 1, read: (view, offset) => view.getUint8(offset) },
  0x09: { name: 'int8', size: 1, read: (view, offset) => view.getInt8(offset) },
  0x0b: { name: 'int16', size: 2, read: (view, offset) => view.getInt16(offset, false) },
  0x0c: { name: 'int32', size: 4, read: (view, offset) => view.getInt32(offset, false) },
  0x0d: { name: 'float32', size: 4, read: (view, offset) => view.getFloat32(offset, false) },
  0x0e: { name: 'float64', size: 8, read: (view, offset) => view.getFloat64(offset, false) },
};

/**
 * Options of the IDX readers.
 *
 * @example
 * await readIdx(bytes, { dtype: 'float32', scale: 1 / 255, source: 'train-images' });
 */
export interface IdxOptions {
  /** Name used in error messages (the file name for the file forms). Default `'input'`. */
  readonly source?: string;
  /** dtype of the result (default: int32 for integer files, float32/float64 for float files). */
  readonly dtype?: DType;
  /** Multiply every value by this (a float dtype only), e.g. `1 / 255` for pixels. Default 1. */
  readonly scale?: number;
  /** Check every value is a class index in `[0, numClasses)` (label files). */
  readonly numClasses?: number;
}

/** Every option name of {@link IdxOptions}. */
export const idxOptionNames: readonly string[] = ['source', 'dtype', 'scale', 'numClasses'];

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** What an IDX header says: the element type, the dimensions, and the sizes it implies. */
interface IdxHeader {
  readonly type: (typeof elementTypes)[number];
  readonly shape: number[];
  readonly headerSize: number;
  /** Bytes of data the dimensions declare after the header. */
  readonly dataSize: number;
}

/**
 * Reads the header at the start of `bytes`: throws for a bad magic number; for bytes too short
 * to hold the whole header, throws when `complete` (the whole file) and returns `undefined`
 * otherwise (the first inflated bytes of a gzip stream).
 */
function readHeader(bytes: Uint8Array, source: string, operation: string, complete: boolean): IdxHeader | undefined {
  if (bytes.length < 4) {
    if (!complete) return undefined;
    throw sourceError(
      'PARSE_ERROR',
      operation,
      source,
      {},
      `expected at least the 4-byte IDX magic number, found ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = elementTypes[bytes[2]];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    throw sourceError(
      'PARSE_ERROR',
      operation,
      source,
      {},
      `bad magic number ${hex(view.getUint32(0, false), 8)}: expected 0x0000TTRR with element type TT one of 08, 09, 0b, 0c, 0d, 0e and rank RR${isGzip(bytes) ? ' (the bytes are gzip-compressed: use readIdx, which decompresses)' : ''}`,
    );
  }
  const rank = bytes[3];
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    if (!complete) return undefined;
    throw sourceError(
      'PARSE_ERROR',
      operation,
      source,
      {},
      `truncated header: rank ${rank} needs ${headerSize} header bytes, found ${bytes.length}`,
    );
  }
  const shape = Array.from({ length: rank }, (_, axis) => view.getUint32(4 + 4 * axis, false));
  const dataSize = shape.reduce((product, dimension) => product * dimension, 1) * type.size;
  return { type, shape, headerSize, dataSize };
}

/**
 * Decodes an uncompressed IDX file (the MNIST format: two zero bytes, an element-type byte,
 * the rank, then `rank` big-endian uint32 dimensions and the big-endian data) into a tensor
 * with the file's dimensions. All element types are read: uint8 (0x08), int8 (0x09), int16
 * (0x0B), int32 (0x0C), float32 (0x0D), float64 (0x0E).
 *
 * @example
 * const images = decodeIdx(bytes, { dtype: 'float32', scale: 1 / 255 }); // [60000, 28, 28]
 */
export function decodeIdx(input: ByteInput, options: IdxOptions = {}): Tensor {
  const operation = 'readIdx';
  checkOptionNames(options, idxOptionNames, operation);
  const source = options.source ?? 'input';
  const bytes = asBytes(input, operation);
  const header = readHeader(bytes, source, operation, true)!;
  const { type, shape, headerSize } = header;
  const count = header.dataSize / type.size;
  const expected = header.dataSize;
  const found = bytes.length - headerSize;
  if (found !== expected) {
    const what = found < expected ? 'truncated body' : 'the dimensions disagree with the file size';
    throw sourceError(
      'PARSE_ERROR',
      operation,
      source,
      {},
      `${what}: dimensions ${formatShape(shape)} of ${type.name} need ${expected} bytes of data after the ${headerSize}-byte header, found ${found}`,
    );
  }
  const isFloatFile = type.name === 'float32' || type.name === 'float64';
  const dtype: DType = options.dtype ?? (isFloatFile ? (type.name as DType) : 'int32');
  const scale = options.scale ?? 1;
  if (scale !== 1 && dtype === 'int32')
    throw new AnnetError('INVALID_ARGUMENT', operation, `scale ${scale} needs a float dtype; pass dtype: 'float32'`);
  const data = allocate(dtype, count);
  decodeBody(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), headerSize, bytes[2], data, scale);
  if (options.numClasses !== undefined) checkLabels(data, options.numClasses, operation, source);
  return new Tensor(data, shape);
}

/** Copies the body into `data`; uint8, the MNIST case, reads bytes directly. */
function decodeBody(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  typeCode: number,
  data: Float32Array | Float64Array | Int32Array,
  scale: number,
): void {
  const count = data.length;
  if (typeCode === 0x08) {
    if (scale === 1) data.set(bytes.subarray(start, start + count));
    else for (let index = 0; index < count; index++) data[index] = bytes[start + index] * scale;
    return;
  }
  const { size, read } = elementTypes[typeCode];
  for (let index = 0; index < count; index++) data[index] = read(view, start + index * size) * scale;
}

/**
 * Reads IDX bytes (or a `File`, `Blob`, `Response` or `ReadableStream` of them), gzip-compressed (detected from the `1f 8b` magic, decompressed with
 * `DecompressionStream`) or not; see {@link decodeIdx}.
 *
 * @example
 * const response = await fetch('/mnist/train-labels-idx1-ubyte.gz');
 * const labels = await readIdx(await response.arrayBuffer(), { numClasses: 10, source: 'train-labels' });
 */
export async function readIdx(input: ByteSource, options: IdxOptions = {}): Promise<Tensor> {
  checkOptionNames(options, idxOptionNames, 'readIdx');
  const bytes = await readByteSource(input, 'readIdx');
  const source = sourceNameOf(input, options.source);
  return decodeIdx(isGzip(bytes) ? await gunzipIdx(bytes, source) : bytes, { ...options, source });
}

/**
 * Inflates a gzip-compressed IDX file, never past the size its header declares (header plus
 * dimensions × element size): a small gzip whose header declares 10 bytes is refused after its
 * first inflated chunk instead of being inflated to a gigabyte and refused afterwards.
 *
 * @example
 * const raw = await gunzipIdx(gzippedBytes, 'train-images-idx3-ubyte.gz');
 */
export function gunzipIdx(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  return gunzip(bytes, source, {
    operation: 'readIdx',
    declaredBy: 'its IDX header',
    declaredSize: (head) => idxDeclaredSize(head, source),
  });
}

/**
 * The whole size (header and data) an IDX file declares, read from its first bytes;
 * `undefined` while `head` is shorter than the header. A bad magic number throws.
 *
 * @example
 * idxDeclaredSize(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2), 'labels'); // 10: an 8-byte header and 2 uint8 items
 */
export function idxDeclaredSize(head: Uint8Array, source: string): number | undefined {
  const header = readHeader(head, source, 'readIdx', false);
  return header && header.headerSize + header.dataSize;
}
