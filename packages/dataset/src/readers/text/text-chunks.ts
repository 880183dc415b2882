import { asBytes, type ByteInput } from '../../bytes.js';
import { streamValues, type StreamSource } from '../../datasets/stream-values.js';
import { sourceError } from '../../errors.js';

/**
 * Pieces of a text stream: strings, or UTF-8 bytes split anywhere (even inside a character).
 *
 * @example
 * const chunks: TextChunk[] = ['a,b\n', new TextEncoder().encode('1,2\n')];
 */
export type TextChunk = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** Decodes UTF-8 bytes (a leading byte-order mark is dropped); invalid UTF-8 is an error naming the source. */
export function decodeUtf8(input: ByteInput, source: string, operation: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(asBytes(input, operation));
  } catch (error) {
    throw sourceError('PARSE_ERROR', operation, source, {}, 'the bytes are not valid UTF-8', error);
  }
}

/**
 * The text of a stream of chunks, decoded incrementally so a multi-byte character split between
 * two chunks is read whole. Memory is one chunk.
 */
export async function* textChunks(
  chunks: StreamSource<TextChunk>,
  source: string,
  operation: string,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch (error) {
      throw sourceError('PARSE_ERROR', operation, source, {}, 'the bytes are not valid UTF-8', error);
    }
  };
  for await (const chunk of streamValues(chunks)) {
    const text = typeof chunk === 'string' ? chunk : decode(asBytes(chunk, operation));
    if (text.length > 0) yield text;
  }
  const rest = decode();
  if (rest.length > 0) yield rest;
}
