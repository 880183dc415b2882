import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeNpy, encodeNpz, tensor } from '@annet/tensor';
import { readNpy, readNpz } from './npy.js';

/**
 * An NPY file written from the format description: "\x93NUMPY", version, header length
 * (uint16 LE for 1.0, uint32 LE for 2.0), a Python dict literal padded with spaces and a newline
 * so the data starts on a 64-byte boundary, then the raw data.
 */
function npyBytes(descr: string, shape: number[], data: Uint8Array, version: 1 | 2 = 1, fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat(63 - ((prefix + header.length) % 64)) + '\n';
  const bytes = new Uint8Array(prefix + header.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(bytes.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  bytes.set(new TextEncoder().encode(header), prefix);
  bytes.set(data, prefix + header.length);
  return bytes;
}

const littleEndian = (array: Float32Array | Float64Array | Int32Array) => new Uint8Array(array.buffer);

/** CRC-32 (IEEE, reflected, polynomial 0xEDB88320), bit by bit: the reference the ZIP format uses. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A ZIP archive (as numpy.savez writes): local headers, data, central directory, end record. */
function zipBytes(members: { name: string; data: Uint8Array; deflate?: boolean }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const member of members) {
    const name = new TextEncoder().encode(member.name);
    const stored = member.deflate ? new Uint8Array(deflateRawSync(member.data)) : member.data;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, member.deflate ? 8 : 0, true);
    local.setUint32(14, crc32(member.data), true);
    local.setUint32(18, stored.length, true);
    local.setUint32(22, member.data.length, true);
    local.setUint16(26, name.length, true);
    const entry = new DataView(new ArrayBuffer(46));
    entry.setUint32(0, 0x02014b50, true);
    entry.setUint16(4, 20, true);
    entry.setUint16(6, 20, true);
    entry.setUint16(10, member.deflate ? 8 : 0, true);
    entry.setUint32(16, crc32(member.data), true);
    entry.setUint32(20, stored.length, true);
    entry.setUint32(24, member.data.length, true);
    entry.setUint16(28, name.length, true);
    entry.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, stored);
    central.push(new Uint8Array(entry.buffer), name);
    offset += 30 + name.length + stored.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, members.length, true);
  end.setUint16(10, members.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const bytes = new Uint8Array(all.reduce((sum, part) => sum + part.length, 0));
  let position = 0;
  for (const part of all) {
    bytes.set(part, position);
    position += part.length;
  }
  return bytes;
}

describe('readNpy', () => {
  it('reads float32, float64, int32 and uint8 arrays from version 1.0 and 2.0 headers', () => {
    for (const version of [1, 2] as const) {
      expect(
        readNpy(npyBytes('<f4', [2, 2], littleEndian(Float32Array.from([1.5, -2, 0.25, 8])), version)).toArray(),
      ).toEqual([
        [1.5, -2],
        [0.25, 8],
      ]);
      const float64 = readNpy(npyBytes('<f8', [3], littleEndian(Float64Array.from([Math.PI, -1e300, 0.1])), version));
      expect(float64.dtype).toBe('float64');
      expect(Array.from(float64.data)).toEqual([Math.PI, -1e300, 0.1]);
      expect(readNpy(npyBytes('<i4', [2], littleEndian(Int32Array.from([-7, 2147483647])), version)).toArray()).toEqual(
        [-7, 2147483647],
      );
      const bytes = readNpy(npyBytes('|u1', [1, 3], Uint8Array.from([0, 128, 255]), version));
      expect(bytes.dtype).toBe('int32');
      expect(bytes.toArray()).toEqual([[0, 128, 255]]);
    }
  });

  it('converts uint8 pixels straight to scaled float32, and big-endian and Fortran-order files', () => {
    const pixels = readNpy(npyBytes('|u1', [2, 2], Uint8Array.from([0, 51, 102, 255])), {
      dtype: 'float32',
      scale: 1 / 255,
    });
    expect(pixels.dtype).toBe('float32');
    expect(Array.from(pixels.data)).toEqual(Array.from(Float32Array.from([0, 0.2, 0.4, 1])));
    const bigEndian = new Uint8Array(8);
    new DataView(bigEndian.buffer).setFloat64(0, 6.5, false);
    expect(readNpy(npyBytes('>f8', [1], bigEndian)).toArray()).toEqual([6.5]);
    // Fortran order stores column by column: [[1, 2, 3], [4, 5, 6]] is 1 4 2 5 3 6.
    expect(
      readNpy(npyBytes('<i4', [2, 3], littleEndian(Int32Array.from([1, 4, 2, 5, 3, 6])), 1, true)).toArray(),
    ).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('names the source of bad files and labels outside the class range', () => {
    expect(() => readNpy(new Uint8Array(12), { source: 'weights.npy' })).toThrow(/weights.npy: not an NPY file/);
    const truncated = npyBytes('<f4', [4], littleEndian(new Float32Array(4))).subarray(0, 70);
    expect(() => readNpy(truncated, { source: 'short.npy' })).toThrow(/short.npy/);
    expect(() =>
      readNpy(npyBytes('|u1', [3], Uint8Array.from([1, 9, 10])), { numClasses: 10, source: 'y.npy' }),
    ).toThrow(/readNpy: y.npy item 2: label 10 is outside the class range \[0, 10\)/);
    expect(() => readNpy(npyBytes('|u1', [1], Uint8Array.from([1])), { scale: 0.5 })).toThrow(
      /scale 0.5 needs a float dtype/,
    );
  });
});

describe('readNpz', () => {
  it('reads stored and deflated members by name, with per-member conversions', async () => {
    const archive = zipBytes([
      { name: 'x_train.npy', data: npyBytes('|u1', [2, 2], Uint8Array.from([0, 255, 51, 0])) },
      { name: 'y_train.npy', data: npyBytes('|u1', [2], Uint8Array.from([3, 7])), deflate: true },
      { name: 'weights.npy', data: npyBytes('<f8', [1], littleEndian(Float64Array.from([0.5]))), deflate: true },
    ]);
    const { x_train, y_train, weights } = await readNpz(archive, {
      members: { x_train: { dtype: 'float32', scale: 1 / 255 }, y_train: { numClasses: 10 } },
    });
    expect(Array.from(x_train.data)).toEqual(Array.from(Float32Array.from([0, 1, 0.2, 0])));
    expect(y_train.dtype).toBe('int32');
    expect(y_train.toArray()).toEqual([3, 7]);
    expect(weights.toArray()).toEqual([0.5]);
  });

  it('names the archive, the member and the problem', async () => {
    const archive = zipBytes([{ name: 'y.npy', data: npyBytes('|u1', [2], Uint8Array.from([3, 12])) }]);
    await expect(readNpz(archive, { source: 'data.npz', members: { y: { numClasses: 10 } } })).rejects.toThrow(
      /readNpz: data.npz \[y\] item 1: label 12 is outside the class range/,
    );
    await expect(readNpz(archive, { source: 'data.npz', members: { x: {} } })).rejects.toThrow(
      /data.npz: no member "x"; the archive holds \["y"\]/,
    );
    const corrupted = archive.slice();
    corrupted[60] ^= 0xff; // inside the member's data: the CRC-32 no longer matches
    await expect(readNpz(corrupted, { source: 'bad.npz' })).rejects.toThrow(/bad.npz/);
  });
});

describe('NPY and NPZ reader options', () => {
  it('refuses unknown options and unknown per-member conversion options', async () => {
    const npy = encodeNpy(tensor([1, 2]));
    expect(() => readNpy(npy, { numclasses: 3 } as never)).toThrow(
      /^readNpy: unknown option "numclasses" \(did you mean "numClasses"\?\); the options are dtype, scale, numClasses, source$/,
    );
    const npz = encodeNpz({ x: tensor([1, 2]) });
    await expect(readNpz(npz, { members: { x: { scal: 2 } } } as never)).rejects.toThrow(
      /^readNpz \(members\["x"\]\): unknown option "scal"/,
    );
  });
});
