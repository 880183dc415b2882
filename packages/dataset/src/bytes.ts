import { AnnetError } from '@annet/tensor';

/**
 * Input a byte-level reader accepts: raw bytes, an `ArrayBuffer`, or (for text formats) a string.
 *
 * @example
 * const bytes: ByteInput = await (await fetch('/data/labels.idx')).arrayBuffer();
 */
export type ByteInput = Uint8Array | ArrayBuffer | ArrayBufferView;

/** A view of the input's bytes, without copying. */
export function asBytes(input: ByteInput, operation: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `expected a Uint8Array, ArrayBuffer or typed array, got ${Object.prototype.toString.call(input)}`,
  );
}

/** True when the bytes start with the gzip magic number `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
