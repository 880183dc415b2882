import { AnnetError } from '@annet/tensor';
import { sourceError } from '../errors.js';

/**
 * Decompresses gzip bytes with the web `DecompressionStream('gzip')` (browsers, Deno, Bun and
 * Node 18+), so the main entry needs no `node:zlib`.
 *
 * @example
 * const raw = await gunzip(new Uint8Array(await (await fetch('train-images-idx3-ubyte.gz')).arrayBuffer()));
 */
export async function gunzip(bytes: Uint8Array, source = 'input'): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new AnnetError('UNSUPPORTED', 'gunzip', `${source}: this runtime has no DecompressionStream; decompress the bytes first or use @annet/dataset/node`);
  }
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      total += value.length;
    }
  } catch (error) {
    throw sourceError('PARSE_ERROR', 'gunzip', source, {}, `not a valid gzip stream (${(error as Error).message})`, error);
  }
  if (parts.length === 1) return parts[0];
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
