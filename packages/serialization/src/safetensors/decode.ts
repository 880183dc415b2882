import { decodeElements, ioContext, Tensor, type IoContext } from '@annet/tensor';
import { storageOf } from './dtypes.js';
import { readSafetensorsLayout, type SafetensorsLayout } from './header.js';

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** Name of the file or buffer, used in error messages (default `<bytes>`). */
  readonly source?: string;
  /**
   * Give every tensor its own array. By default a tensor whose data is aligned in `bytes` is a
   * view sharing its memory (no copy at all); set this when `bytes` will be reused.
   */
  readonly copy?: boolean;
}

/** What a safetensors file holds. */
export interface SafetensorsContents {
  /** The tensors by name. */
  readonly tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (`{}` when the file has none). */
  readonly metadata: Record<string, string>;
}

/**
 * Decodes a safetensors file: header length, JSON header and data, all checked first (see the
 * README's list) so that a bad file is an AnnetError naming the source and the problem, never a
 * partial result.
 *
 * Dtypes: F32, F64 and I32 are read as they are; F16 and BF16 widen exactly to float32; BOOL, U8,
 * I8, I16 and U16 widen to int32; I64, U32 and U64 become int32 when every value fits (an error
 * names the first that does not); the 8-bit float types are refused. Each tensor costs at most one
 * copy: aligned F32/F64/I32 data is viewed in place unless `copy` is set.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes, { source: 'model.safetensors' });
 * tensors['dense_1.weights'].shape; // [784, 128]
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeSafetensorsOptions = {}): SafetensorsContents {
  const context = ioContext('decodeSafetensors', options.source);
  const layout = readSafetensorsLayout(bytes, context);
  return {
    tensors: tensorsFromLayout(bytes, layout, context, options.copy ?? false),
    metadata: { ...layout.metadata },
  };
}

/**
 * Builds the tensors of a checked layout (one copy at most per tensor).
 *
 * @example
 * const tensors = tensorsFromLayout(bytes, readSafetensorsLayout(bytes, context), context, false);
 */
export function tensorsFromLayout(
  bytes: Uint8Array,
  layout: SafetensorsLayout,
  context: IoContext,
  copy: boolean,
): Record<string, Tensor> {
  const entries: Array<[string, Tensor]> = layout.entries.map((entry) => {
    const type = storageOf[entry.dtype];
    if (type === null) throw new Error(`unreachable: ${entry.dtype} passed the header check`);
    const begin = layout.dataStart + entry.begin;
    const count = countOf(entry.shape); // the header check proved count × size = end − begin
    const array = decodeElements(
      bytes,
      { byteOffset: begin, count, type, littleEndian: true },
      { operation: context.operation, source: `${context.source} tensor '${entry.name}'` },
      copy,
    );
    const data = array instanceof Uint8Array ? Int32Array.from(array) : array;
    return [entry.name, new Tensor(data, entry.shape)];
  });
  // fromEntries defines own properties: a tensor named __proto__ cannot reach the prototype.
  return Object.fromEntries(entries);
}

function countOf(shape: readonly number[]): number {
  let count = 1;
  for (const dimension of shape) count *= dimension;
  return count;
}
