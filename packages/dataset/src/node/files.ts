import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzip as gunzipCallback } from 'node:zlib';
import { AnnetError } from '@annet/tensor';
import { isGzip } from '../bytes.js';
import { sourceError } from '../errors.js';

const gunzipAsync = promisify(gunzipCallback);

/** The name errors use for a file: its path as given. */
export function fileSource(path: string, options?: { source?: string }): string {
  return options?.source ?? path;
}

/** Maps a Node file-system error to an AnnetError naming the file. */
export function fileError(error: unknown, path: string, operation: string): AnnetError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new AnnetError('NOT_FOUND', operation, `${path}: no such file`, { cause: error });
  return new AnnetError('IO_ERROR', operation, `${path}: cannot read the file (${(error as Error)?.message ?? String(error)})`, { cause: error });
}

/** The file's bytes; gzip (by `.gz` name or the `1f 8b` magic) is decompressed with node:zlib. */
export async function readFileBytes(path: string, operation: string, source: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(error, path, operation);
  }
  if (!isGzip(bytes)) {
    if (path.endsWith('.gz')) throw sourceError('PARSE_ERROR', operation, source, {}, `the name ends in .gz but the file does not start with the gzip magic number 1f 8b`);
    return bytes;
  }
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    throw sourceError('PARSE_ERROR', operation, source, {}, `not a valid gzip stream (${(error as Error).message})`, error);
  }
}

/**
 * The file as a stream of byte chunks (64 KiB each), decompressed on the fly when its name ends
 * in `.gz`. Open errors surface on the first read, as an AnnetError naming the file.
 */
export async function* fileChunks(path: string, operation: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  // pipeline (unlike pipe) forwards a read error to the gunzip stream, so the loop below sees it.
  const source = path.endsWith('.gz') ? pipeline(stream, createGunzip(), () => undefined) : stream;
  try {
    for await (const chunk of source) yield chunk as Uint8Array;
  } catch (error) {
    throw (error as NodeJS.ErrnoException)?.code?.startsWith('Z_') ? sourceError('PARSE_ERROR', operation, path, {}, `not a valid gzip stream (${(error as Error).message})`, error) : fileError(error, path, operation);
  } finally {
    stream.destroy();
  }
}
