/**
 * Lookup tables for CRC-32 (ISO-HDLC, the polynomial of zip, PNG and gzip) processed eight bytes
 * at a time ("slicing-by-8"): `tables[k][b]` is the CRC contribution of byte `b` followed by `k`
 * zero bytes. Built lazily so that importing the package costs nothing.
 */
let tables: Int32Array | undefined;

function buildTables(): Int32Array {
  const table = new Int32Array(256 * 8);
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[byte] = value;
  }
  for (let byte = 0; byte < 256; byte++) {
    let value = table[byte];
    for (let slice = 1; slice < 8; slice++) {
      value = table[value & 0xff] ^ (value >>> 8);
      table[slice * 256 + byte] = value;
    }
  }
  return table;
}

/**
 * CRC-32 of `bytes` (reflected polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF),
 * as an unsigned 32-bit integer. Pass the previous result as `previous` to continue a running
 * checksum over several chunks. Pure JavaScript, synchronous, works in browsers.
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926, the standard check value
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const table = (tables ??= buildTables());
  let crc = ~previous;
  const length = bytes.length;
  let index = 0;
  const blockEnd = length - (length % 8);
  while (index < blockEnd) {
    const low = crc ^ (bytes[index] | (bytes[index + 1] << 8) | (bytes[index + 2] << 16) | (bytes[index + 3] << 24));
    crc =
      table[1792 + (low & 0xff)] ^
      table[1536 + ((low >>> 8) & 0xff)] ^
      table[1280 + ((low >>> 16) & 0xff)] ^
      table[1024 + (low >>> 24)] ^
      table[768 + bytes[index + 4]] ^
      table[512 + bytes[index + 5]] ^
      table[256 + bytes[index + 6]] ^
      table[bytes[index + 7]];
    index += 8;
  }
  while (index < length) crc = table[(crc ^ bytes[index++]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
