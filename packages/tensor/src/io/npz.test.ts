import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { tensor } from '../create.js';
import { crc32 } from './crc32.js';
import { encodeNpy } from './npy.js';
import { decodeNpz, decodeNpzArrays, encodeNpz } from './npz.js';

interface HandMember {
  name: string;
  data: Uint8Array;
  method?: number;
  size?: number;
  crc?: number;
  flags?: number;
}

/**
 * A zip archive assembled from PKWARE's APPNOTE.TXT: for each member a local file header
 * (signature 0x04034b50, version, flags, method, time, date, CRC-32, compressed size, size, name
 * length, extra length, name) and its data; then one central directory header per member
 * (signature 0x02014b50, … , local header offset, name); then the end of central directory
 * record (signature 0x06054b50, disk numbers, member counts, directory size and offset, comment length).
 */
function zipArchive(members: HandMember[]): Uint8Array {
  const parts: number[] = [];
  const u16 = (value: number) => parts.push(value & 0xff, (value >>> 8) & 0xff);
  const u32 = (value: number) =>
    parts.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  const offsets: number[] = [];
  const common = (member: HandMember) => {
    u16(20);
    u16(member.flags ?? 0);
    u16(member.method ?? 0);
    u16(0);
    u16(0x21);
    u32(member.crc ?? crc32(member.method === 8 ? new Uint8Array(0) : member.data));
    u32(member.data.length);
    u32(member.size ?? member.data.length);
    u16(member.name.length);
    u16(0);
  };
  for (const member of members) {
    offsets.push(parts.length);
    u32(0x04034b50);
    common(member);
    parts.push(...Buffer.from(member.name, 'latin1'), ...member.data);
  }
  const directoryOffset = parts.length;
  members.forEach((member, index) => {
    u32(0x02014b50);
    u16(20);
    common(member);
    u16(0);
    u16(0);
    u16(0);
    u32(0);
    u32(offsets[index]);
    parts.push(...Buffer.from(member.name, 'latin1'));
  });
  const directorySize = parts.length - directoryOffset;
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(members.length);
  u16(members.length);
  u32(directorySize);
  u32(directoryOffset);
  u16(0);
  return Uint8Array.from(parts);
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function caught(promise: Promise<unknown>): Promise<AnnetError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected a rejection');
}

const base64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));
// Written by NumPy 2.4 (zip64 extra fields in the local headers, as numpy.savez writes them):
// np.savez(f, x=np.array([1, 2, 3], dtype='<i4'))
const numpySavez = base64(
  'UEsDBC0AAAAAAAAAIQDrwCsE//////////8FABQAeC5ucHkBABAAjAAAAAAAAACMAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQAAAAIAAAADAAAAUEsBAi0DLQAAAAAAAAAhAOvAKwSMAAAAjAAAAAUAAAAAAAAAAAAAAIABAAAAAHgubnB5UEsFBgAAAAABAAEAMwAAAMMAAAAAAA==',
);
// np.savez_compressed(f, weights=np.array([[1.5, -2], [0.25, 8]], dtype='<f4'), labels=np.array([3, 1, 4, 1, 5], dtype=np.uint8))
const numpySavezCompressed = base64(
  'UEsDBC0AAAAIAAAAIQA35EJJ//////////8LABQAd2VpZ2h0cy5ucHkBABAAkAAAAAAAAABUAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CkaaOgq1CmQDLgaGA/YMQIKBocEOSDsCAFBLAwQtAAAACAAAACEApBYjQf//////////CgAUAGxhYmVscy5ucHkBABAAhQAAAAAAAABJAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GqY6mjoKtQoUAC5mRhZGVgBQSwECLQMtAAAACAAAACEAN+RCSVQAAACQAAAACwAAAAAAAAAAAAAAgAEAAAAAd2VpZ2h0cy5ucHlQSwECLQMtAAAACAAAACEApBYjQUkAAACFAAAACgAAAAAAAAAAAAAAgAGRAAAAbGFiZWxzLm5weVBLBQYAAAAAAgACAHEAAAAWAQAAAAA=',
);

describe('encodeNpz', () => {
  it('writes the archive of the specification: stored members named <key>.npy', () => {
    const x = tensor([1, 2, 3], { dtype: 'int32' });
    const y = tensor([[0.5]]);
    expect(encodeNpz({ x, y })).toEqual(
      zipArchive([
        { name: 'x.npy', data: encodeNpy(x) },
        { name: 'y.npy', data: encodeNpy(y) },
      ]),
    );
  });

  it('refuses empty names and unwritable arrays, naming the array', () => {
    expect(() => encodeNpz({ '': tensor([1]) })).toThrow('encodeNpz: array names must be non-empty');
    expect(() => encodeNpz({ bad: { dtype: 'uint8', shape: [2], data: new Uint8Array(1) } })).toThrow(
      "encodeNpz: array 'bad': encodeNpy: shape [2] holds 2 elements but data has 1",
    );
  });
});

describe('decodeNpz and decodeNpzArrays', () => {
  it('read the archives NumPy writes, stored and deflated', async () => {
    const { x } = await decodeNpz(numpySavez, 'x.npz');
    expect(x.dtype).toBe('int32');
    expect(Array.from(x.data)).toEqual([1, 2, 3]);
    const compressed = await decodeNpzArrays(numpySavezCompressed, 'compressed.npz');
    expect(Object.keys(compressed).sort()).toEqual(['labels', 'weights']);
    expect(compressed.weights.shape).toEqual([2, 2]);
    expect(Array.from(compressed.weights.data)).toEqual([1.5, -2, 0.25, 8]);
    expect(compressed.labels).toEqual({ dtype: 'uint8', shape: [5], data: new Uint8Array([3, 1, 4, 1, 5]) });
  });

  it('read a hand-built archive with a deflated member', async () => {
    const npy = encodeNpy(
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: 'float64' },
      ),
    );
    const archive = zipArchive([
      { name: 'm.npy', data: await deflateRaw(npy), method: 8, size: npy.length, crc: crc32(npy) },
    ]);
    const { m } = await decodeNpz(archive);
    expect(m.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('keeps a member named __proto__ as a plain key', async () => {
    const result = await decodeNpz(encodeNpz(Object.fromEntries([['__proto__', tensor([1])]])));
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__']);
  });

  it('names the archive, the member and the problem for malformed archives', async () => {
    const npy = encodeNpy(tensor([1, 2])); // 128 header bytes + 8 data bytes
    const corrupted = npy.slice();
    corrupted[corrupted.length - 1] ^= 1;
    const deflated = await deflateRaw(npy);
    const cases: Array<[Uint8Array, string, string]> = [
      [new Uint8Array(10), 'PARSE_ERROR', 'not a zip archive'],
      [encodeNpz({ a: tensor([1]) }).subarray(0, 100), 'PARSE_ERROR', 'not a zip archive'],
      [
        zipArchive([{ name: 'a.npy', data: corrupted, crc: crc32(npy) }]),
        'CHECKSUM_MISMATCH',
        "zip member 'a.npy' fails its CRC-32 check",
      ],
      [
        zipArchive([
          { name: 'a.npy', data: npy },
          { name: 'a.npy', data: npy },
        ]),
        'PARSE_ERROR',
        "two members named 'a.npy'",
      ],
      [
        zipArchive([{ name: 'notes.txt', data: new Uint8Array(1) }]),
        'PARSE_ERROR',
        '[notes.txt]: an NPZ archive holds only .npy members',
      ],
      [zipArchive([{ name: 'a.npy', data: npy, flags: 1 }]), 'UNSUPPORTED', "zip member 'a.npy' is encrypted"],
      [zipArchive([{ name: 'a.npy', data: npy, method: 12 }]), 'UNSUPPORTED', 'compression method 12'],
      [
        zipArchive([{ name: 'a.npy', data: npy, size: npy.length + 1 }]),
        'PARSE_ERROR',
        'declares 137 bytes but holds 136',
      ],
      [
        zipArchive([{ name: 'a.npy', data: deflated, method: 8, size: 2_000_000_000 }]),
        'PARSE_ERROR',
        "beyond deflate's 1032:1 limit",
      ],
      [
        zipArchive([{ name: 'a.npy', data: deflated, method: 8, size: npy.length - 1, crc: crc32(npy) }]),
        'PARSE_ERROR',
        'inflates past its declared 135 bytes',
      ],
      [
        zipArchive([{ name: 'a.npy', data: Uint8Array.from([0xff, 0xff, 0xff]), method: 8, size: 10 }]),
        'PARSE_ERROR',
        'invalid deflate data',
      ],
      [
        zipArchive([{ name: 'a.npy', data: new Uint8Array([1, 2, 3]) }]),
        'PARSE_ERROR',
        '[a.npy]: an NPY file has at least 10 bytes',
      ],
    ];
    for (const [bytes, code, message] of cases) {
      const error = await caught(decodeNpz(bytes, 'case.npz'));
      expect(error.message, message).toContain('decodeNpz: case.npz');
      expect(error.message, message).toContain(message);
      expect(error.code, message).toBe(code);
    }
  });

  it('rejects members whose data overlap', async () => {
    const npy = encodeNpy(tensor([1]));
    const archive = zipArchive([{ name: 'a.npy', data: npy }]);
    // Point a second directory entry at the same local header: the classic overlapping-member zip bomb.
    const view = new DataView(archive.buffer);
    const end = archive.length - 22;
    const directoryOffset = view.getUint32(end + 16, true);
    const entry = archive.slice(directoryOffset, end);
    entry[46] = 'b'.charCodeAt(0);
    const doubled = new Uint8Array(archive.length + entry.length);
    doubled.set(archive.subarray(0, end));
    doubled.set(entry, end);
    doubled.set(archive.subarray(end), end + entry.length);
    const doubledView = new DataView(doubled.buffer);
    doubledView.setUint16(end + entry.length + 8, 2, true);
    doubledView.setUint16(end + entry.length + 10, 2, true);
    doubledView.setUint32(end + entry.length + 12, entry.length * 2, true);
    expect((await caught(decodeNpz(doubled))).message).toContain("zip members 'a.npy' and 'b.npy' overlap");
  });
});

describe('NPZ round trip', () => {
  it('decodes what it encodes, names and bits included', async () => {
    const named = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.tuple(fc.constantFrom('float32', 'float64', 'int32', 'uint8'), fc.array(fc.nat(3), { maxLength: 3 })),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(named, fc.integer(), async (specs, seed) => {
        const arrays = Object.fromEntries(
          Object.entries(specs).map(([name, [dtype, shape]]) => {
            const size = shape.reduce((product, dimension) => product * dimension, 1);
            const Constructor = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array }[
              dtype
            ];
            const data = new Constructor(size);
            for (let index = 0; index < size; index++)
              data[index] =
                ((seed + index * 7919) % 251) - (dtype === 'uint8' ? 0 : 125) + (dtype.startsWith('float') ? 0.5 : 0);
            return [name, { dtype, shape, data }];
          }),
        );
        const back = await decodeNpzArrays(encodeNpz(arrays));
        expect(Object.keys(back).sort()).toEqual(Object.keys(arrays).sort());
        for (const [name, array] of Object.entries(arrays)) {
          expect(back[name].dtype).toBe(array.dtype);
          expect(back[name].shape).toEqual(array.shape);
          expect(Array.from(back[name].data)).toEqual(Array.from(array.data));
        }
      }),
      { numRuns: 60 },
    );
  });
});
