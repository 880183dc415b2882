import {
  AnnetError,
  Tensor,
  allocate,
  decodeNpyArray,
  decodeNpzArrays,
  type DType,
  type NpyArray,
} from '@annet/tensor';
import {
  isBrowserByteSource,
  readByteSource,
  sourceNameOf,
  type BrowserByteSource,
  type ByteSource,
} from '../byte-source.js';
import { asBytes, type ByteInput } from '../bytes.js';
import { checkLabels } from '../preprocessing/check-labels.js';
import { checkOptionNames } from './check-options.js';

/**
 * How one array becomes a tensor: the same conversions as the IDX reader.
 *
 * @example
 * const pixels: ArrayConversion = { dtype: 'float32', scale: 1 / 255 };
 */
export interface ArrayConversion {
  /** dtype of the result (default: the file's; `uint8` arrays become `int32`). */
  readonly dtype?: DType;
  /** Multiply every value by this (a float dtype only), e.g. `1 / 255` for pixels. */
  readonly scale?: number;
  /** Check every value is a class index in `[0, numClasses)` (label arrays). */
  readonly numClasses?: number;
}

/** Every option name of {@link ArrayConversion}. */
const conversionNames: readonly string[] = ['dtype', 'scale', 'numClasses'];
/** Every option name of {@link NpyOptions}. */
export const npyOptionNames: readonly string[] = [...conversionNames, 'source'];
/** Every option name of {@link NpzOptions}. */
export const npzOptionNames: readonly string[] = ['source', 'members'];

/**
 * Options of {@link readNpy}.
 *
 * @example
 * readNpy(bytes, { source: 'y.npy', numClasses: 10 });
 */
export interface NpyOptions extends ArrayConversion {
  /** Name used in error messages (the file name for the file forms). */
  readonly source?: string;
}

/**
 * Options of {@link readNpz}.
 *
 * @example
 * await readNpz(bytes, { source: 'mnist.npz', members: { y_train: { numClasses: 10 } } });
 */
export interface NpzOptions {
  /** Name used in error messages (the file name for the file forms). */
  readonly source?: string;
  /** Conversions per member name, e.g. `{ x_train: { dtype: 'float32', scale: 1 / 255 } }`. */
  readonly members?: Readonly<Record<string, ArrayConversion>>;
}

/** Converts a decoded array straight to the asked dtype (no int32 detour for bytes), scaling and checking labels. */
export function convertArray(array: NpyArray, conversion: ArrayConversion, operation: string, source: string): Tensor {
  const dtype: DType = conversion.dtype ?? (array.dtype === 'uint8' ? 'int32' : array.dtype);
  const scale = conversion.scale ?? 1;
  if (scale !== 1 && dtype === 'int32')
    throw new AnnetError('INVALID_ARGUMENT', operation, `scale ${scale} needs a float dtype; pass dtype: 'float32'`);
  let data = array.data;
  if (dtype !== array.dtype || scale !== 1) {
    const converted = allocate(dtype, data.length);
    if (scale === 1) converted.set(data);
    else for (let index = 0; index < data.length; index++) converted[index] = data[index] * scale;
    data = converted;
  }
  if (conversion.numClasses !== undefined) checkLabels(data, conversion.numClasses, operation, source);
  return new Tensor(data as Float32Array | Float64Array | Int32Array, array.shape);
}

/**
 * Reads an NPY file (format 1.0, 2.0 and 3.0 headers; float32, float64, int32, uint8 and the
 * other numeric types @annet/tensor decodes; C or Fortran order) into a tensor, through
 * `decodeNpyArray` from @annet/tensor. Errors name the source. Given a `File`, `Blob`, `Response`
 * or `ReadableStream`, it reads it first and returns a promise.
 *
 * @example
 * const images = readNpy(bytes, { dtype: 'float32', scale: 1 / 255, source: 'x_train.npy' });
 */
export function readNpy(input: ByteInput, options?: NpyOptions): Tensor;
/** A `File`, `Blob`, `Response` or `ReadableStream` is read first, so the tensor comes as a promise. */
export function readNpy(input: BrowserByteSource, options?: NpyOptions): Promise<Tensor>;
export function readNpy(input: ByteSource, options?: NpyOptions): Tensor | Promise<Tensor>;
export function readNpy(input: ByteSource, options: NpyOptions = {}): Tensor | Promise<Tensor> {
  checkOptionNames(options, npyOptionNames, 'readNpy');
  if (isBrowserByteSource(input))
    return readByteSource(input, 'readNpy').then((bytes) =>
      readNpy(bytes, { ...options, source: sourceNameOf(input, options.source) }),
    );
  const source = options.source ?? 'input';
  return convertArray(decodeNpyArray(asBytes(input, 'readNpy'), source), options, 'readNpy', source);
}

/**
 * Reads an NPZ archive (`numpy.savez`, and `savez_compressed` through `DecompressionStream`)
 * into tensors keyed by member name, with optional per-member conversions. Takes bytes, or a
 * `File`, `Blob`, `Response` or `ReadableStream`.
 *
 * @example
 * const { x_train, y_train } = await readNpz(bytes, {
 *   members: { x_train: { dtype: 'float32', scale: 1 / 255 }, y_train: { numClasses: 10 } },
 * });
 */
export async function readNpz(input: ByteSource, options: NpzOptions = {}): Promise<Record<string, Tensor>> {
  checkOptionNames(options, npzOptionNames, 'readNpz');
  for (const [name, conversion] of Object.entries(options.members ?? {}))
    checkOptionNames(conversion, conversionNames, `readNpz (members[${JSON.stringify(name)}])`);
  const source = sourceNameOf(input, options.source);
  const arrays = await decodeNpzArrays(await readByteSource(input, 'readNpz'), source);
  for (const name of Object.keys(options.members ?? {})) {
    if (!Object.hasOwn(arrays, name))
      throw new AnnetError(
        'NOT_FOUND',
        'readNpz',
        `${source}: no member ${JSON.stringify(name)}; the archive holds ${JSON.stringify(Object.keys(arrays))}`,
      );
  }
  return Object.fromEntries(
    Object.entries(arrays).map(([name, array]) => [
      name,
      convertArray(array, options.members?.[name] ?? {}, 'readNpz', `${source} [${name}]`),
    ]),
  );
}
