import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { tensor } from '../create.js';
import {
  copyBytes,
  decodeElements,
  encodeElements,
  float16ToNumber,
  writeTensorElements,
  type StorageType,
} from './element-types.js';
import { ioContext } from './io-context.js';

const context = ioContext('test', 'fixture.bin');

function bytesOf(write: (view: DataView) => void, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  write(new DataView(bytes.buffer));
  return bytes;
}

describe('decodeElements', () => {
  it('returns a view over aligned little-endian data and one copy when misaligned', () => {
    const backing = new Uint8Array(16);
    new DataView(backing.buffer).setFloat32(4, 1.5, true);
    new DataView(backing.buffer).setFloat32(9, -2, true);
    const aligned = decodeElements(backing, { byteOffset: 4, count: 1, type: 'float32', littleEndian: true }, context);
    expect(aligned.buffer).toBe(backing.buffer);
    expect(Array.from(aligned)).toEqual([1.5]);
    const misaligned = decodeElements(
      backing,
      { byteOffset: 9, count: 1, type: 'float32', littleEndian: true },
      context,
    );
    expect(misaligned.buffer).not.toBe(backing.buffer);
    expect(Array.from(misaligned)).toEqual([-2]);
    const forced = decodeElements(
      backing,
      { byteOffset: 4, count: 1, type: 'float32', littleEndian: true },
      context,
      true,
    );
    expect(forced.buffer).not.toBe(backing.buffer);
  });

  it('copies out of a Node Buffer (whose slice() is a view) into an array of its own', () => {
    const pool = Buffer.alloc(32);
    const bytes = pool.subarray(3, 3 + 8);
    new DataView(bytes.buffer, bytes.byteOffset).setFloat64(0, Math.PI, true);
    const copy = decodeElements(bytes, { byteOffset: 0, count: 1, type: 'float64', littleEndian: true }, context);
    expect(copy[0]).toBe(Math.PI);
    expect(copy.byteOffset).toBe(0);
    expect(copy.buffer.byteLength).toBe(8);
    expect(Array.from(copyBytes(Buffer.from([1, 2, 3]), 1, 3))).toEqual([2, 3]);
  });

  it('reads big-endian bit patterns exactly, NaN payloads included', () => {
    // 0x7fc00001 is a quiet NaN with payload 1; 0x3f800000 is 1.0; stored big-endian.
    const bytes = new Uint8Array([0x7f, 0xc0, 0x00, 0x01, 0x3f, 0x80, 0x00, 0x00]);
    const out = decodeElements(
      bytes,
      { byteOffset: 0, count: 2, type: 'float32', littleEndian: false },
      context,
    ) as Float32Array;
    expect(Array.from(new Uint32Array(out.buffer))).toEqual([0x7fc00001, 0x3f800000]);
  });

  it('widens float16 and bfloat16 exactly (hand-derived values)', () => {
    // binary16: 0x3c00 = 2^0 = 1; 0xc000 = -2^1; 0x7bff = (1 + 1023/1024) * 2^15 = 65504;
    // 0x0001 = 2^-24 (smallest subnormal); 0x7c00 = +inf; 0x7e00 = NaN.
    expect([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00].map(float16ToNumber)).toEqual([1, -2, 65504, 2 ** -24, Infinity]);
    expect(float16ToNumber(0x7e00)).toBeNaN();
    const half = bytesOf((view) => [0x3c00, 0x3555].forEach((bits, index) => view.setUint16(index * 2, bits, true)), 4);
    // 0x3555 = (1 + 341/1024) * 2^-2 = 0.333251953125.
    expect(
      Array.from(decodeElements(half, { byteOffset: 0, count: 2, type: 'float16', littleEndian: true }, context)),
    ).toEqual([1, 0.333251953125]);
    // bfloat16 0x3f80 is the top half of float32 1.0; 0xc049 the top half of 0xc0490000 = -3.140625.
    const brain = bytesOf(
      (view) => [0x3f80, 0xc049].forEach((bits, index) => view.setUint16(index * 2, bits, true)),
      4,
    );
    expect(
      Array.from(decodeElements(brain, { byteOffset: 0, count: 2, type: 'bfloat16', littleEndian: true }, context)),
    ).toEqual([1, -3.140625]);
  });

  it('widens narrow integers to int32 and keeps bytes as bytes', () => {
    const bytes = new Uint8Array([0xff, 0x80, 0x01, 0x00]);
    expect(
      Array.from(decodeElements(bytes, { byteOffset: 0, count: 4, type: 'int8', littleEndian: true }, context)),
    ).toEqual([-1, -128, 1, 0]);
    expect(
      Array.from(decodeElements(bytes, { byteOffset: 0, count: 2, type: 'int16', littleEndian: true }, context)),
    ).toEqual([-32513, 1]);
    expect(
      Array.from(decodeElements(bytes, { byteOffset: 0, count: 2, type: 'uint16', littleEndian: false }, context)),
    ).toEqual([0xff80, 0x0100]);
    const raw = decodeElements(bytes, { byteOffset: 1, count: 2, type: 'uint8', littleEndian: true }, context);
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(Array.from(raw)).toEqual([0x80, 0x01]);
  });

  it('reads 64-bit integers that fit in int32 and names the first one that does not', () => {
    const fits = bytesOf((view) => {
      view.setBigInt64(0, -5n, true);
      view.setBigInt64(8, 2147483647n, true);
      view.setBigInt64(16, -2147483648n, true);
    }, 24);
    expect(
      Array.from(decodeElements(fits, { byteOffset: 0, count: 3, type: 'int64', littleEndian: true }, context)),
    ).toEqual([-5, 2147483647, -2147483648]);
    const tooBig = bytesOf((view) => {
      view.setBigInt64(0, 1n, false);
      view.setBigInt64(8, 2147483648n, false);
    }, 16);
    expect(() =>
      decodeElements(tooBig, { byteOffset: 0, count: 2, type: 'int64', littleEndian: false }, context),
    ).toThrow('test: fixture.bin: element 1 of a int64 array is 2147483648, outside the int32 range');
    const unsigned = bytesOf((view) => view.setUint32(0, 0x80000000, true), 4);
    expect(() =>
      decodeElements(unsigned, { byteOffset: 0, count: 1, type: 'uint32', littleEndian: true }, context),
    ).toThrow(AnnetError);
    const negativeAsUnsigned = bytesOf((view) => view.setBigUint64(0, 0xffffffffffffffffn, true), 8);
    expect(() =>
      decodeElements(negativeAsUnsigned, { byteOffset: 0, count: 1, type: 'uint64', littleEndian: true }, context),
    ).toThrow('18446744073709551615');
  });

  it('refuses a layout that runs past the bytes', () => {
    expect(() =>
      decodeElements(new Uint8Array(7), { byteOffset: 4, count: 1, type: 'float32', littleEndian: true }, context),
    ).toThrow('test: fixture.bin: 1 elements of float32 at byte 4 run past the end of 7 bytes');
  });
});

describe('encodeElements and writeTensorElements', () => {
  const types: Array<[StorageType, () => Float32Array | Float64Array | Int32Array]> = [
    ['float32', () => new Float32Array([1.5, -0, Number.NaN, 3e38])],
    ['float64', () => new Float64Array([Math.PI, -1e-300, Infinity])],
    ['int32', () => new Int32Array([-2147483648, 0, 2147483647])],
  ];
  for (const [type, make] of types) {
    it(`round-trips ${type} through both byte orders bit for bit`, () => {
      const array = make();
      for (const littleEndian of [true, false]) {
        const bytes = new Uint8Array(array.byteLength + 3);
        encodeElements(array, 0, array.length, bytes, 3, littleEndian);
        const back = decodeElements(bytes, { byteOffset: 3, count: array.length, type, littleEndian }, context);
        expect(new Uint8Array(back.buffer, back.byteOffset, back.byteLength)).toEqual(new Uint8Array(array.buffer));
      }
    });
  }

  it('writes big-endian bytes as DataView does', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 20 }), (values) => {
        const array = Float64Array.from(values);
        const bytes = new Uint8Array(array.byteLength);
        encodeElements(array, 0, array.length, bytes, 0, false);
        const view = new DataView(bytes.buffer);
        values.forEach((value, index) => expect(Object.is(view.getFloat64(index * 8, false), value)).toBe(true));
      }),
      { numRuns: 50 },
    );
  });

  it('gathers strided views in row-major order', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).transpose();
    const bytes = new Uint8Array(24);
    writeTensorElements(x, bytes, 0);
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual([1, 4, 2, 5, 3, 6]);
  });
});
