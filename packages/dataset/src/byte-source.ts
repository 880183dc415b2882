import { AnnetError } from '@annet/tensor';
import { asBytes, type ByteInput } from './bytes.js';
import { isReadableStream } from './datasets/stream-values.js';

/**
 * Bytes a browser hands over rather than holds: a `Blob` or `File` (from `<input type="file">`
 * or a drop), a fetch `Response`, or a web `ReadableStream` of byte chunks. Every reader accepts
 * them beside bytes in memory; a `File`'s name becomes the source named in errors.
 *
 * @example
 * const labels = await readIdx(fileInput.files![0], { numClasses: 10 });
 */
export type BrowserByteSource = Blob | Response | ReadableStream<Uint8Array>;

/**
 * Bytes in memory, or a {@link BrowserByteSource}.
 *
 * @example
 * const source: ByteSource = await fetch('/data/train.npy');
 */
export type ByteSource = ByteInput | BrowserByteSource;

/**
 * True for a `Blob`/`File`, a `Response` or a `ReadableStream` (checked by shape, across realms).
 *
 * @example
 * isBrowserByteSource(new Blob(['1,2'])); // true
 */
export function isBrowserByteSource(value: unknown): value is BrowserByteSource {
  return isBlob(value) || isResponse(value) || isReadableStream(value);
}

/**
 * The bytes of any {@link ByteSource}, read to the end (bytes in memory are viewed, not copied).
 *
 * @example
 * const bytes = await readByteSource(file, 'readNpy');
 */
export async function readByteSource(source: ByteSource, operation: string): Promise<Uint8Array> {
  if (isBlob(source)) return new Uint8Array(await source.arrayBuffer());
  if (isResponse(source)) return new Uint8Array(await checkedResponse(source, operation).arrayBuffer());
  if (isReadableStream<Uint8Array>(source)) return concatenate(await readChunks(source, operation));
  return asBytes(source as ByteInput, operation);
}

/**
 * A `Blob`'s or `Response`'s bytes as a stream, for the streaming readers (which read
 * a `File` in chunks, without holding it whole).
 *
 * @example
 * for await (const chunk of streamCsv(byteStream(file, 'streamCsv'), { label: 'y' })) use(chunk);
 */
export function byteStream(source: Blob | Response, operation: string): ReadableStream<Uint8Array> {
  if (isBlob(source)) return source.stream() as ReadableStream<Uint8Array>;
  const body = checkedResponse(source, operation).body;
  if (body === null) throw new AnnetError('INVALID_ARGUMENT', operation, 'the response has no body');
  return body;
}

/**
 * The name to give errors: the one in the options, else a `File`'s name, else `input`.
 *
 * @example
 * sourceNameOf(new File([], 'labels.idx'), undefined); // 'labels.idx'
 */
export function sourceNameOf(source: unknown, given: string | undefined): string {
  if (given !== undefined) return given;
  const name = (source as { name?: unknown; url?: unknown } | null)?.name ?? (source as { url?: unknown } | null)?.url;
  return typeof name === 'string' && name !== '' ? name : 'input';
}

/**
 * True for a `Blob` or `File`.
 *
 * @example
 * isBlob(new Blob([])); // true
 */
export function isBlob(value: unknown): value is Blob {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Blob).arrayBuffer === 'function' &&
    typeof (value as Blob).stream === 'function' &&
    typeof (value as Blob).size === 'number'
  );
}

/**
 * True for a fetch `Response`.
 *
 * @example
 * isResponse(new Response('x')); // true
 */
export function isResponse(value: unknown): value is Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Response).arrayBuffer === 'function' &&
    typeof (value as Response).ok === 'boolean' &&
    'body' in value
  );
}

function checkedResponse(response: Response, operation: string): Response {
  if (!response.ok)
    throw new AnnetError(
      'IO_ERROR',
      operation,
      `${`the response has status ${response.status} ${response.statusText}`.trim()}${response.url ? ` (${response.url})` : ''}`,
    );
  return response;
}

async function readChunks(stream: ReadableStream<Uint8Array>, operation: string): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunks;
      chunks.push(asBytes(value, operation));
    }
  } finally {
    reader.releaseLock();
  }
}

function concatenate(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
