import { gzipSync } from 'node:zlib';
import { AnnetError } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdx, readIdx } from './idx.js';

/** IDX bytes written from the format's description: 0, 0, type, rank, big-endian uint32 dims, big-endian data. */
function idxBytes(typeCode: number, shape: number[], values: number[]): Uint8Array {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[typeCode]!;
  const bytes = new Uint8Array(4 + 4 * shape.length + size * values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = typeCode;
  bytes[3] = shape.length;
  shape.forEach((dimension, axis) => view.setUint32(4 + 4 * axis, dimension, false));
  const start = 4 + 4 * shape.length;
  values.forEach((value, index) => {
    const offset = start + index * size;
    if (typeCode === 0x08) view.setUint8(offset, value);
    if (typeCode === 0x09) view.setInt8(offset, value);
    if (typeCode === 0x0b) view.setInt16(offset, value, false);
    if (typeCode === 0x0c) view.setInt32(offset, value, false);
    if (typeCode === 0x0d) view.setFloat32(offset, value, false);
    if (typeCode === 0x0e) view.setFloat64(offset, value, false);
  });
  return bytes;
}

describe('decodeIdx', () => {
  it('reads a hand-written MNIST-style label file byte by byte', () => {
    // 00 00 08 01 | 00 00 00 03 | 07 02 01: three uint8 labels 7, 2, 1.
    const labels = decodeIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]));
    expect(labels.shape).toEqual([3]);
    expect(labels.dtype).toBe('int32');
    expect(labels.toArray()).toEqual([7, 2, 1]);
  });

  it('reads every element type big-endian, with the file dimensions', () => {
    const cases: [number, number[], string][] = [
      [0x08, [0, 255, 128, 1, 2, 3], 'int32'],
      [0x09, [-128, 127, -1, 0, 5, -6], 'int32'],
      [0x0b, [-32768, 32767, -2, 300, 0, 1], 'int32'],
      [0x0c, [-2147483648, 2147483647, -3, 70000, 0, 9], 'int32'],
      [0x0d, [1.5, -2.25, 3e-8, 1e30, 0, -0.125], 'float32'],
      [0x0e, [Math.PI, -Math.E, 1e-300, 1e300, 0, 0.1], 'float64'],
    ];
    for (const [typeCode, values, dtype] of cases) {
      const decoded = decodeIdx(idxBytes(typeCode, [2, 3], values));
      expect(decoded.shape).toEqual([2, 3]);
      expect(decoded.dtype).toBe(dtype);
      expect(Array.from(decoded.data)).toEqual(typeCode === 0x0d ? Array.from(Float32Array.from(values)) : values);
    }
  });

  it('converts to a float dtype and scales, e.g. pixels to [0, 1]', () => {
    const pixels = decodeIdx(idxBytes(0x08, [1, 2, 2], [0, 51, 255, 102]), { dtype: 'float32', scale: 1 / 255 });
    expect(pixels.dtype).toBe('float32');
    expect(pixels.shape).toEqual([1, 2, 2]);
    expect(Array.from(pixels.data)).toEqual(Array.from(Float32Array.from([0, 0.2, 1, 0.4])));
    expect(decodeIdx(idxBytes(0x0b, [2], [-4, 8]), { dtype: 'float64', scale: 0.5 }).toArray()).toEqual([-2, 4]);
  });

  it('round-trips random arrays of any type and shape', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0x08, 0x09, 0x0b, 0x0c),
        (shape, typeCode) => {
          const count = shape.reduce((product, dimension) => product * dimension, 1);
          const limits = { 0x08: [0, 255], 0x09: [-128, 127], 0x0b: [-32768, 32767], 0x0c: [-(2 ** 31), 2 ** 31 - 1] }[
            typeCode
          ]!;
          const values = Array.from(
            { length: count },
            (_, index) => limits[0] + ((index * 2654435761) % (limits[1] - limits[0] + 1)),
          );
          const decoded = decodeIdx(idxBytes(typeCode, shape, values));
          expect(decoded.shape).toEqual(shape);
          expect(Array.from(decoded.data)).toEqual(values);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('names what was expected and what was found in bad files', () => {
    const good = idxBytes(0x08, [2, 3], [1, 2, 3, 4, 5, 6]);
    const source = { source: 'labels.idx' };
    expect(() => decodeIdx(new Uint8Array([0, 0]), source)).toThrow(
      /readIdx: labels.idx: expected at least the 4-byte IDX magic number, found 2 bytes/,
    );
    expect(() => decodeIdx(new Uint8Array([0, 1, 8, 1, 0, 0, 0, 0]), source)).toThrow(
      /labels.idx: bad magic number 0x00010801: expected 0x0000TTRR/,
    );
    expect(() => decodeIdx(new Uint8Array([0, 0, 7, 1, 0, 0, 0, 0]), source)).toThrow(/bad magic number 0x00000701/);
    expect(() => decodeIdx(good.subarray(0, 9), source)).toThrow(
      /truncated header: rank 2 needs 12 header bytes, found 9/,
    );
    expect(() => decodeIdx(good.subarray(0, 15), source)).toThrow(
      /truncated body: dimensions \[2,3\] of uint8 need 6 bytes of data after the 12-byte header, found 3/,
    );
    expect(() => decodeIdx(new Uint8Array([...good, 0]), source)).toThrow(
      /the dimensions disagree with the file size: dimensions \[2,3\] of uint8 need 6 bytes .* found 7/,
    );
    expect(() => decodeIdx(gzipSync(good), source)).toThrow(/gzip-compressed: use readIdx/);
    expect(() => decodeIdx(good, { scale: 2 })).toThrow(/scale 2 needs a float dtype/);
    expect(() => decodeIdx('text' as never)).toThrow(/expected a Uint8Array, ArrayBuffer or typed array/);
    try {
      decodeIdx(good.subarray(0, 15), source);
    } catch (error) {
      expect(error).toBeInstanceOf(AnnetError);
      expect((error as AnnetError).code).toBe('PARSE_ERROR');
    }
  });

  it('checks labels against numClasses, naming the item', () => {
    const labels = idxBytes(0x08, [4], [0, 9, 10, 3]);
    expect(() => decodeIdx(labels, { numClasses: 10, source: 'train-labels' })).toThrow(
      /readIdx: train-labels item 2: label 10 is outside the class range \[0, 10\)/,
    );
    expect(decodeIdx(labels, { numClasses: 11 }).toArray()).toEqual([0, 9, 10, 3]);
  });
});

describe('readIdx', () => {
  it('decompresses gzip bytes (DecompressionStream) and reads plain bytes and ArrayBuffers', async () => {
    const bytes = idxBytes(0x0d, [3], [0.5, -1, 2]);
    expect((await readIdx(gzipSync(bytes))).toArray()).toEqual([0.5, -1, 2]);
    expect((await readIdx(bytes.buffer as ArrayBuffer)).toArray()).toEqual([0.5, -1, 2]);
  });

  it('names the source of a corrupt gzip stream', async () => {
    const zipped = gzipSync(idxBytes(0x08, [100], Array(100).fill(7)));
    await expect(readIdx(zipped.subarray(0, zipped.length - 10), { source: 'images.gz' })).rejects.toThrow(
      /readIdx: images.gz: not a valid gzip stream/,
    );
  });
});

describe('readIdx inflation is bounded by the IDX header', () => {
  /** A gzip whose IDX header declares 2 uint8 items (10 bytes in all) followed by `extra` zero bytes. */
  function overlongGzip(extra: number): Uint8Array {
    const declared = idxBytes(0x08, [2], [1, 2]);
    const raw = new Uint8Array(declared.length + extra);
    raw.set(declared);
    return gzipSync(raw, { level: 9 });
  }

  it('refuses a gzip whose header declares 10 bytes after the first inflated chunk, not after inflating 16 MiB', async () => {
    const zipped = overlongGzip(16 << 20);
    expect(zipped.length).toBeLessThan(1 << 20);
    const error = await readIdx(zipped, { source: 'bomb.gz' }).then(
      () => undefined,
      (caught: unknown) => caught as AnnetError,
    );
    expect(error).toBeInstanceOf(AnnetError);
    const match =
      /^readIdx: bomb\.gz: the gzip data inflates past the 10 bytes its IDX header declares \(stopped at (\d+) bytes\)$/.exec(
        error!.message,
      );
    expect(match, error!.message).not.toBeNull();
    // DecompressionStream hands out chunks of at most 64 KiB, so the refusal comes within a few of them.
    expect(Number(match![1])).toBeLessThanOrEqual(1 << 20);
  });

  it('refuses a bad magic number as soon as the first inflated bytes show it', async () => {
    const raw = new Uint8Array(16 << 20);
    raw[0] = 0x50;
    await expect(readIdx(gzipSync(raw), { source: 'junk.gz' })).rejects.toThrow(
      /^readIdx: junk\.gz: bad magic number 0x50000000/,
    );
  });

  it('still reads gzip files whose size matches the header, bit for bit as the plain file', async () => {
    const plain = idxBytes(0x08, [3, 2], [1, 2, 3, 4, 5, 250]);
    expect((await readIdx(gzipSync(plain))).toArray()).toEqual(decodeIdx(plain).toArray());
  });

  it('refuses unknown options', async () => {
    expect(() => decodeIdx(idxBytes(0x08, [1], [1]), { scal: 2 } as never)).toThrow(
      /^readIdx: unknown option "scal" \(did you mean "scale"\?\); the options are source, dtype, scale, numClasses$/,
    );
    await expect(readIdx(idxBytes(0x08, [1], [1]), { classes: 2 } as never)).rejects.toThrow(
      /^readIdx: unknown option "classes"/,
    );
  });
});
