import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

/** Reference: the bit-at-a-time definition (reflected polynomial 0xEDB88320, init and final XOR all ones). */
function crc32Bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('gives the published check values', () => {
    // The CRC-32/ISO-HDLC catalogue entry: check("123456789") = 0xCBF43926; the empty string gives 0.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    // zlib's documented example: crc32("The quick brown fox jumps over the lazy dog") = 0x414FA339.
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('matches the bit-at-a-time definition on any bytes, whatever the length and offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(crc32(view)).toBe(crc32Bitwise(view));
      }),
      { numRuns: 200 },
    );
  });

  it('continues a running checksum across chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (bytes, cut) => {
        const split = Math.min(cut, bytes.length);
        expect(crc32(bytes.subarray(split), crc32(bytes.subarray(0, split)))).toBe(crc32(bytes));
      }),
      { numRuns: 100 },
    );
  });
});
