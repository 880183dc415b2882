import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { tensor } from '../create.js';
import { Tensor } from '../tensor.js';
import { decodeNpy, decodeNpyArray, encodeNpy, type NpyArray } from './npy.js';

/**
 * An NPY file assembled from the format description (numpy.lib.format): the magic string
 * "\x93NUMPY", the major and minor version bytes, the header length as a little-endian unsigned
 * integer of 2 bytes (version 1.0) or 4 bytes (2.0 and 3.0), the header text, then the data.
 */
function npyFile(major: number, header: string, data: Uint8Array): Uint8Array {
  const headerBytes =
    major === 3 ? new TextEncoder().encode(header) : Uint8Array.from(header, (character) => character.charCodeAt(0));
  const prefix = major === 1 ? 10 : 12;
  const bytes = new Uint8Array(prefix + headerBytes.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(bytes.buffer);
  if (major === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  bytes.set(headerBytes, prefix);
  bytes.set(data, prefix + headerBytes.length);
  return bytes;
}

/** `header` padded with spaces and ended with a newline so that the data starts at a multiple of 64. */
function padded(header: string, prefix = 10): string {
  const spaces = (64 - ((prefix + header.length + 1) % 64)) % 64;
  return `${header}${' '.repeat(spaces)}\n`;
}

function littleEndianFloat32(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  values.forEach((value, index) => new DataView(bytes.buffer).setFloat32(index * 4, value, true));
  return bytes;
}

const base64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));
// Written by NumPy 2.4: np.save(f, np.arange(6, dtype='<f4').reshape(2, 3)) and np.save(f, np.array([0, 7, 255], dtype=np.uint8)).
const numpyFloat32 = base64(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBAAACAQAAAoEA=',
);
const numpyUint8 = base64(
  'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAB/8=',
);

describe('encodeNpy', () => {
  it('writes the bytes of the specification: magic, version 1.0, 64-byte aligned header, little-endian data', () => {
    // The dict is 59 characters; 10 + 59 + 1 (newline) = 70, so 58 spaces pad the header to 118 bytes
    // and the data starts at 128.
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(58) + '\n';
    const expected = npyFile(1, header, littleEndianFloat32([0, 1, 2, 3, 4, 5]));
    const bytes = encodeNpy(
      tensor([
        [0, 1, 2],
        [3, 4, 5],
      ]),
    );
    expect(bytes).toEqual(expected);
    expect(bytes[8] | (bytes[9] << 8)).toBe(118);
  });

  it('writes the same bytes NumPy writes', () => {
    expect(encodeNpy(tensor([0, 1, 2, 3, 4, 5], { shape: [2, 3] }))).toEqual(numpyFloat32);
    expect(encodeNpy({ dtype: 'uint8', shape: [3], data: new Uint8Array([0, 7, 255]) })).toEqual(numpyUint8);
  });

  it('writes strided views in C order', () => {
    const view = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).transpose();
    expect(Array.from(decodeNpy(encodeNpy(view)).data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('refuses arrays it cannot write, saying why', () => {
    expect(() => encodeNpy({ dtype: 'uint8', shape: [2], data: new Uint8Array(3) })).toThrow(
      'encodeNpy: shape [2] holds 2 elements but data has 3',
    );
    expect(() => encodeNpy({ dtype: 'uint8', shape: [2], data: new Int32Array(2) } as unknown as NpyArray)).toThrow(
      'dtype uint8 needs a Uint8Array',
    );
    expect(() => encodeNpy({ dtype: 'int16', shape: [1], data: new Int32Array(1) } as unknown as NpyArray)).toThrow(
      'cannot write dtype "int16"',
    );
  });
});

describe('decodeNpyArray and decodeNpy', () => {
  it('read a version 1.0 file built by hand from the specification', () => {
    const header = padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }");
    const file = npyFile(1, header, littleEndianFloat32([1.5, -2, 0.25, 8]));
    const x = decodeNpy(file, 'hand.npy');
    expect(x.dtype).toBe('float32');
    expect(x.toArray()).toEqual([
      [1.5, -2],
      [0.25, 8],
    ]);
  });

  it('read versions 2.0 and 3.0 (4-byte header length, UTF-8 header)', () => {
    const data = littleEndianFloat32([7, 8]);
    const v2 = npyFile(2, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12), data);
    const v3 = npyFile(3, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12), data);
    expect(Array.from(decodeNpy(v2).data)).toEqual([7, 8]);
    expect(Array.from(decodeNpy(v3).data)).toEqual([7, 8]);
  });

  it('converts big-endian data', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setFloat64(0, Math.E, false);
    new DataView(data.buffer).setFloat64(8, -1e300, false);
    const x = decodeNpy(npyFile(1, padded("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }"), data));
    expect(x.dtype).toBe('float64');
    expect(Array.from(x.data)).toEqual([Math.E, -1e300]);
  });

  it('reorders Fortran-order data to row-major', () => {
    // A 2×3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column is 1, 4, 2, 5, 3, 6.
    const data = new Uint8Array(24);
    [1, 4, 2, 5, 3, 6].forEach((value, index) => new DataView(data.buffer).setInt32(index * 4, value, true));
    const x = decodeNpy(npyFile(1, padded("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }"), data));
    expect(x.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('keeps uint8 as bytes in decodeNpyArray and widens it to int32 in decodeNpy', () => {
    expect(decodeNpyArray(numpyUint8)).toEqual({ dtype: 'uint8', shape: [3], data: new Uint8Array([0, 7, 255]) });
    const x = decodeNpy(numpyUint8);
    expect(x.dtype).toBe('int32');
    expect(Array.from(x.data)).toEqual([0, 7, 255]);
  });

  it('reads int64 arrays whose values fit in int32 and rejects the others', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setBigInt64(0, -3n, true);
    new DataView(data.buffer).setBigInt64(8, 40n, true);
    const header = padded("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }");
    expect(Array.from(decodeNpy(npyFile(1, header, data)).data)).toEqual([-3, 40]);
    new DataView(data.buffer).setBigInt64(8, 1n << 40n, true);
    expect(() => decodeNpy(npyFile(1, header, data), 'big.npy')).toThrow(
      'decodeNpy: big.npy: element 1 of a int64 array is 1099511627776, outside the int32 range',
    );
  });

  it('reads scalars and empty arrays', () => {
    const scalar = npyFile(
      1,
      padded("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"),
      new Uint8Array(new Float64Array([3.5]).buffer),
    );
    expect(decodeNpy(scalar).item()).toBe(3.5);
    const empty = decodeNpy(
      npyFile(1, padded("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }"), new Uint8Array(0)),
    );
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.size).toBe(0);
  });

  it('shares memory with aligned input and copies misaligned input once', () => {
    const file = encodeNpy(tensor([1, 2, 3]));
    expect(decodeNpy(file).data.buffer).toBe(file.buffer);
    const shifted = new Uint8Array(file.length + 1).subarray(1);
    shifted.set(file);
    const copy = decodeNpy(shifted);
    expect(copy.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(copy.data)).toEqual([1, 2, 3]);
  });

  it('names the file and the problem for every malformed input', () => {
    const good = encodeNpy(tensor([1, 2, 3]));
    const header = (text: string) => npyFile(1, padded(text), new Uint8Array(12));
    const cases: Array<[Uint8Array, string]> = [
      [good.subarray(0, 5), 'an NPY file has at least 10 bytes, got 5'],
      [Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0, 0, 0]), 'not an NPY file'],
      [Uint8Array.from([...good.subarray(0, 6), 4, 0, ...good.subarray(8)]), 'NPY format version 4.0 is not supported'],
      [good.subarray(0, 60), 'header length 118 runs past the end of the 60-byte file'],
      [good.subarray(0, good.length - 1), 'shape [3] needs 12 data bytes but only 11 follow the header'],
      [Uint8Array.from([...good, 0]), 'shape [3] needs 12 data bytes but 13 follow the header'],
      [header("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }"), "dtype '<c8' is not supported"],
      [
        header("{'descr': '|f4', 'fortran_order': False, 'shape': (3,), }"),
        "byte order '|', which NumPy only writes for one-byte types",
      ],
      [
        header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"),
        'shape [4294967296,4294967296] needs 73786976294838210000 data bytes but only 12 follow',
      ],
      [
        npyFile(2, `${'{'.padEnd(2_000_000, ' ')}`, new Uint8Array(0)),
        'header length 2000000 is above the 1048576-byte limit',
      ],
      [
        npyFile(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", new Uint8Array(0)).map((byte, index) =>
          index === 20 ? 0xff : byte,
        ),
        'not valid UTF-8',
      ],
    ];
    for (const [bytes, message] of cases) {
      let caught: unknown;
      try {
        decodeNpy(bytes, 'case.npy');
      } catch (error) {
        caught = error;
      }
      expect(caught, message).toBeInstanceOf(AnnetError);
      expect((caught as Error).message, message).toContain('decodeNpy: case.npy: ');
      expect((caught as Error).message, message).toContain(message);
    }
  });
});

const dtypes = ['float32', 'float64', 'int32', 'uint8'] as const;

/** Any array annet can write: a dtype, a shape of rank 0-4 with dimensions 0-4, and fitting values. */
const arrays = fc
  .record({ dtype: fc.constantFrom(...dtypes), shape: fc.array(fc.nat(4), { maxLength: 4 }) })
  .chain(({ dtype, shape }) => {
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    const values =
      dtype === 'uint8'
        ? fc.array(fc.nat(255), { minLength: size, maxLength: size })
        : dtype === 'int32'
          ? fc.array(fc.integer(), { minLength: size, maxLength: size })
          : dtype === 'float32'
            ? fc.array(fc.float(), { minLength: size, maxLength: size })
            : fc.array(fc.double(), { minLength: size, maxLength: size });
    return values.map((list) => ({ dtype, shape, values: list }));
  });

describe('NPY round trip', () => {
  it('decodes what it encodes for every dtype and shape, bit for bit', () => {
    fc.assert(
      fc.property(arrays, ({ dtype, shape, values }) => {
        const data = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array }[dtype].from(
          values,
        );
        const input = dtype === 'uint8' ? { dtype, shape, data } : new Tensor(data as Float32Array, shape);
        const bytes = encodeNpy(input);
        expect((10 + (bytes[8] | (bytes[9] << 8))) % 64).toBe(0);
        const back = decodeNpyArray(bytes);
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual(shape);
        expect(new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength)).toEqual(
          new Uint8Array(data.buffer),
        );
      }),
      { numRuns: 150 },
    );
  });
});
