import { AnnetError } from '@annet/tensor';
import { sourceError } from '../errors.js';

/**
 * A bound on the inflated size, known from the first inflated bytes (a file's own header): it
 * returns the total size the header declares, `undefined` while `head` is too short to tell,
 * or throws for a header that is already wrong.
 */
export type DeclaredSize = (head: Uint8Array) => number | undefined;

/** Options of {@link gunzip}. */
export interface GunzipOptions {
  /** The operation errors name (default `'gunzip'`). */
  readonly operation?: string;
  /** What the inflated header declares: inflation stops with an error as soon as it passes it. */
  readonly declaredSize?: DeclaredSize;
  /** What the bound is, for the message (`'its IDX header'`). */
  readonly declaredBy?: string;
}

/** Bytes kept for `declaredSize` to read the header from: an IDX header is at most 4 + 4·255. */
const headLength = 1024;

/**
 * Decompresses gzip bytes with the web `DecompressionStream('gzip')` (browsers, Deno, Bun and
 * Node 18+), so the main entry needs no `node:zlib`. With `declaredSize`, inflation stops as
 * soon as the output passes the size the file's own header declares (a small gzip declaring
 * 10 bytes cannot inflate to a gigabyte first), as the NPZ reader bounds each member by the size
 * its zip entry declares.
 *
 * @example
 * const raw = await gunzip(new Uint8Array(await (await fetch('train-images-idx3-ubyte.gz')).arrayBuffer()));
 */
export async function gunzip(bytes: Uint8Array, source = 'input', options: GunzipOptions = {}): Promise<Uint8Array> {
  const operation = options.operation ?? 'gunzip';
  if (typeof DecompressionStream === 'undefined') {
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `${source}: this runtime has no DecompressionStream; decompress the bytes first or use @annet/dataset/node`,
    );
  }
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  let limit: number | undefined;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw sourceError(
          'PARSE_ERROR',
          operation,
          source,
          {},
          `not a valid gzip stream (${(error as Error).message})`,
          error,
        );
      }
      if (chunk.done) break;
      parts.push(chunk.value);
      total += chunk.value.length;
      if (options.declaredSize && limit === undefined)
        limit = options.declaredSize(concatenate(parts, Math.min(total, headLength)));
      if (limit !== undefined && total > limit) {
        throw sourceError(
          'PARSE_ERROR',
          operation,
          source,
          {},
          `the gzip data inflates past the ${limit} bytes ${options.declaredBy ?? 'its header'} declares (stopped at ${total} bytes)`,
        );
      }
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return parts.length === 1 ? parts[0] : concatenate(parts, total);
}

/** The first `length` bytes of `parts`, joined. */
function concatenate(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0].length === length) return parts[0];
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    if (offset === length) break;
    const take = Math.min(part.length, length - offset);
    result.set(take === part.length ? part : part.subarray(0, take), offset);
    offset += take;
  }
  return result;
}
