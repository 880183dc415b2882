import { AnnetError } from '@annet/tensor';

/**
 * Anything a browser hands over as bytes: a `Blob` or `File` (from `<input type="file">` or a
 * drop), a fetch `Response`, a `ReadableStream` of byte chunks, or bytes already in memory.
 *
 * @example
 * const source: ByteSource = input.files![0];
 */
export type ByteSource = Blob | Response | ReadableStream<Uint8Array> | ArrayBuffer | ArrayBufferView;

/**
 * Reads a {@link ByteSource} to one `Uint8Array` (bytes in memory are viewed, not copied).
 *
 * @example
 * const checkpoint = decodeCheckpoint(await readBytes(fileInput.files![0]));
 */
export async function readBytes(source: ByteSource, operation = 'readBytes'): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (isBlob(source)) return new Uint8Array(await source.arrayBuffer());
  if (isResponse(source)) {
    if (!source.ok)
      throw new AnnetError(
        'IO_ERROR',
        operation,
        `the response has status ${source.status} ${source.statusText}`.trim() + (source.url ? ` (${source.url})` : ''),
      );
    return new Uint8Array(await source.arrayBuffer());
  }
  if (isByteStream(source)) return readStream(source, operation);
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `expected a Blob, File, Response, ReadableStream, ArrayBuffer or typed array, got ${Object.prototype.toString.call(source)}`,
  );
}

/**
 * True for a `Blob` or `File` (checked by shape, so it works across realms and in Node).
 *
 * @example
 * isBlob(new Blob(['x'])); // true
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

function isResponse(value: unknown): value is Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Response).arrayBuffer === 'function' &&
    typeof (value as Response).ok === 'boolean'
  );
}

function isByteStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof value === 'object' && value !== null && typeof (value as ReadableStream).getReader === 'function';
}

async function readStream(stream: ReadableStream<Uint8Array>, operation: string): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array))
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `expected a stream of Uint8Array chunks, got a chunk of ${Object.prototype.toString.call(value)}`,
        );
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
