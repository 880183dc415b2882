/**
 * Safetensors files built by hand from the format description, for tests: an 8-byte
 * little-endian unsigned header length N, N bytes of UTF-8 JSON header, then the data section.
 * (Excluded from the build by the `test-*.ts` pattern.)
 */
export function safetensorsFile(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  declaredLength?: number,
): Uint8Array {
  const headerBytes = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + headerBytes.length + data.length);
  const view = new DataView(bytes.buffer);
  const length = declaredLength ?? headerBytes.length;
  view.setUint32(0, length % 2 ** 32, true);
  view.setUint32(4, Math.floor(length / 2 ** 32), true);
  bytes.set(headerBytes, 8);
  bytes.set(data, 8 + headerBytes.length);
  return bytes;
}

/** Little-endian bytes of float32 values, written with DataView (independent of the code under test). */
export function float32Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  values.forEach((value, index) => new DataView(bytes.buffer).setFloat32(index * 4, value, true));
  return bytes;
}
