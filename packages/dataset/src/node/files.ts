import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { constants, createGunzip, gunzip as gunzipCallback, gunzipSync } from 'node:zlib';
import { kMaxLength } from 'node:buffer';
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
  return new AnnetError(
    'IO_ERROR',
    operation,
    `${path}: cannot read the file (${(error as Error)?.message ?? String(error)})`,
    { cause: error },
  );
}

/**
 * The file's bytes; gzip (by `.gz` name or the `1f 8b` magic) is decompressed with node:zlib, or
 * with `inflate` (a format whose header bounds the inflated size passes a bounded inflater).
 */
export async function readFileBytes(
  path: string,
  operation: string,
  source: string,
  inflate?: (bytes: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(error, path, operation);
  }
  if (!isGzip(bytes)) {
    if (path.endsWith('.gz'))
      throw sourceError(
        'PARSE_ERROR',
        operation,
        source,
        {},
        `the name ends in .gz but the file does not start with the gzip magic number 1f 8b`,
      );
    return bytes;
  }
  if (inflate) return inflate(bytes);
  try {
    return await gunzipAsync(bytes);
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
}

/** Compressed bytes inflated to read a header: deflate expands at most about 1032:1, so at most ~4 MB. */
const headCompressedBytes = 4096;

/**
 * Inflates gzip `bytes` with node:zlib, never past the size the file's own header declares:
 * the first compressed bytes are inflated (a truncated stream, flushed) to read the header,
 * then the whole stream with zlib's `maxOutputLength` at that size, so a small gzip declaring
 * 10 bytes stops after 11 instead of inflating to a gigabyte.
 */
export async function boundedGunzip(
  bytes: Uint8Array,
  operation: string,
  source: string,
  declaredSize: (head: Uint8Array) => number | undefined,
  declaredBy: string,
): Promise<Uint8Array> {
  const invalid = (error: unknown) =>
    sourceError('PARSE_ERROR', operation, source, {}, `not a valid gzip stream (${(error as Error).message})`, error);
  let head: Uint8Array;
  try {
    head = gunzipSync(bytes.subarray(0, headCompressedBytes), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw invalid(error);
  }
  const limit = declaredSize(head);
  try {
    return await gunzipAsync(
      bytes,
      limit === undefined ? {} : { maxOutputLength: Math.max(1, Math.min(limit, kMaxLength)) },
    );
  } catch (error) {
    if (limit !== undefined && (error as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE') {
      throw sourceError(
        'PARSE_ERROR',
        operation,
        source,
        {},
        `the gzip data inflates past the ${limit} bytes ${declaredBy} declares (inflation stopped there)`,
        error,
      );
    }
    throw invalid(error);
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
    throw (error as NodeJS.ErrnoException)?.code?.startsWith('Z_')
      ? sourceError('PARSE_ERROR', operation, path, {}, `not a valid gzip stream (${(error as Error).message})`, error)
      : fileError(error, path, operation);
  } finally {
    stream.destroy();
  }
}
