import { AnnetError, Tensor, tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from './decode.js';
import { compareCodePoints, encodeSafetensors } from './encode.js';
import { float32Bytes, safetensorsFile } from './test-fixtures.js';

describe('encodeSafetensors', () => {
  it('writes the bytes of the reference implementation for one tensor', () => {
    // The header {"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}} is exactly 64
    // bytes, a multiple of 8, so no padding; then 0..5 as little-endian float32.
    // These are the bytes of huggingface/safetensors' own test_serialization.
    const expected = [
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34,
      70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95,
      111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0,
      64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ];
    expect(Array.from(encodeSafetensors({ 'attn.0': tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] }) }))).toEqual(
      expected,
    );
  });

  it('pads the header with spaces to a multiple of 8', () => {
    // {"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}} is 65 bytes: 7 spaces make 72.
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}' + ' '.repeat(7);
    const expected = safetensorsFile(header, float32Bytes([0, 1, 2, 3, 4, 5]));
    expect(encodeSafetensors({ attn0: tensor([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) })).toEqual(expected);
    expect(expected[0]).toBe(72);
  });

  it('writes empty files and metadata as the reference does', () => {
    // huggingface/safetensors test_empty: "{}" plus 6 spaces; with {"framework": "pt"}, 35 bytes plus 5 spaces.
    expect(Array.from(encodeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    expect(encodeSafetensors({}, { framework: 'pt' })).toEqual(
      safetensorsFile('{"__metadata__":{"framework":"pt"}}     '),
    );
  });

  it('orders tensors by dtype alignment, largest first, then by name, and aligns every tensor', () => {
    const bytes = encodeSafetensors({
      b: tensor([1], { dtype: 'int32' }),
      a: tensor([1], { dtype: 'int32' }),
      small: tensor([1, 2, 3]),
      wide: tensor([1], { dtype: 'float64' }),
    });
    const length = new DataView(bytes.buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    // Reference Dtype order: ... I32 < U32 < F32 < F64: so F64 first, then F32, then I32 by name.
    expect(Object.keys(header)).toEqual(['wide', 'small', 'a', 'b']);
    expect(header.wide.data_offsets).toEqual([0, 8]);
    expect(header.small.data_offsets).toEqual([8, 20]);
    expect(header.a.data_offsets).toEqual([20, 24]);
    expect(header.b.data_offsets).toEqual([24, 28]);
  });

  it('writes strided views in row-major order and integer-like names in header order', () => {
    const bytes = encodeSafetensors({
      '1': tensor([
        [1, 2],
        [3, 4],
      ]).transpose(),
      '0': tensor([5]),
    });
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors['1'].toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + bytes[0]));
    expect(header.indexOf('"0"')).toBeLessThan(header.indexOf('"1"'));
  });

  it('refuses what the format cannot hold', () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow(
      "encodeSafetensors: '__metadata__' is reserved",
    );
    expect(() => encodeSafetensors({ x: [1, 2] as unknown as Tensor })).toThrow(
      "'x' is not a float32, float64 or int32 Tensor",
    );
    expect(() => encodeSafetensors({}, { n: 3 as unknown as string })).toThrow(
      "metadata values must be strings, but 'n' is number",
    );
  });

  it('sorts names by code point, as Rust sorts UTF-8 strings', () => {
    // U+FF5E (one UTF-16 unit) sorts before U+1F600 (a surrogate pair starting 0xD83D) by code point,
    // although JavaScript's < compares 0xFF5E > 0xD83D.
    expect(compareCodePoints('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('b', 'a')).toBeGreaterThan(0);
  });
});

const base64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

describe('interoperability with the reference implementation (Python safetensors 0.8.0)', () => {
  // save_file({'w': np.arange(6, dtype=np.float32).reshape(2, 3), 'b': np.array([1, 2], dtype=np.int32),
  //   'a': np.array([0.5]), 'z': np.zeros((0, 2), np.float32), 'bb': np.array([7], dtype=np.int32)}, path, metadata={'k': 'v'})
  const referenceFile = base64(
    'MAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJrIjoidiJ9LCJhIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOlsxXSwiZGF0YV9vZmZzZXRzIjpbMCw4XX0sInciOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsM10sImRhdGFfb2Zmc2V0cyI6WzgsMzJdfSwieiI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbMCwyXSwiZGF0YV9vZmZzZXRzIjpbMzIsMzJdfSwiYiI6eyJkdHlwZSI6IkkzMiIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzMyLDQwXX0sImJiIjp7ImR0eXBlIjoiSTMyIiwic2hhcGUiOlsxXSwiZGF0YV9vZmZzZXRzIjpbNDAsNDRdfX0gAAAAAAAA4D8AAAAAAACAPwAAAEAAAEBAAACAQAAAoEABAAAAAgAAAAcAAAA=',
  );
  // save_file({'b': np.array([1, 2], dtype=np.int64), 'h': np.array([1.5, -2], dtype=np.float16),
  //   'u': np.array([255, 3], dtype=np.uint8), 'z': np.zeros((0, 2))}, path)
  const widenedFile = base64(
    '4AAAAAAAAAB7ImIiOnsiZHR5cGUiOiJJNjQiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlswLDE2XX0sInoiOnsiZHR5cGUiOiJGNjQiLCJzaGFwZSI6WzAsMl0sImRhdGFfb2Zmc2V0cyI6WzE2LDE2XX0sImgiOnsiZHR5cGUiOiJGMTYiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlsxNiwyMF19LCJ1Ijp7ImR0eXBlIjoiVTgiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlsyMCwyMl19fSAgIAEAAAAAAAAAAgAAAAAAAAAAPgDA/wM=',
  );

  it('writes byte for byte what the reference save_file writes', () => {
    const tensors = {
      w: tensor([0, 1, 2, 3, 4, 5], { shape: [2, 3] }),
      b: tensor([1, 2], { dtype: 'int32' }),
      a: tensor([0.5], { dtype: 'float64' }),
      z: new Tensor(new Float32Array(0), [0, 2]),
      bb: tensor([7], { dtype: 'int32' }),
    };
    expect(encodeSafetensors(tensors, { k: 'v' })).toEqual(referenceFile);
  });

  it('reads what the reference writes, widening I64, F16 and U8', () => {
    const { tensors, metadata } = decodeSafetensors(widenedFile);
    expect(metadata).toEqual({});
    expect([tensors.b.dtype, Array.from(tensors.b.data)]).toEqual(['int32', [1, 2]]);
    expect([tensors.h.dtype, Array.from(tensors.h.data)]).toEqual(['float32', [1.5, -2]]);
    expect([tensors.u.dtype, Array.from(tensors.u.data)]).toEqual(['int32', [255, 3]]);
    expect([tensors.z.dtype, tensors.z.shape]).toEqual(['float64', [0, 2]]);
  });
});

describe('decodeSafetensors', () => {
  it('reads a file built by hand from the specification, with metadata', () => {
    const header =
      '{"__metadata__":{"epoch":"3"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"I32","shape":[2],"data_offsets":[16,24]}}';
    const data = new Uint8Array(24);
    data.set(float32Bytes([1.5, -2, 0.25, 8]));
    new DataView(data.buffer).setInt32(16, -7, true);
    new DataView(data.buffer).setInt32(20, 9, true);
    const { tensors, metadata } = decodeSafetensors(safetensorsFile(header, data), { source: 'hand.safetensors' });
    expect(metadata).toEqual({ epoch: '3' });
    expect(tensors.w.toArray()).toEqual([
      [1.5, -2],
      [0.25, 8],
    ]);
    expect(tensors.b.dtype).toBe('int32');
    expect(Array.from(tensors.b.data)).toEqual([-7, 9]);
  });

  it('views aligned data in place, copies misaligned data once, and copies everything on request', () => {
    const file = encodeSafetensors({ x: tensor([1, 2, 3]) });
    expect(decodeSafetensors(file).tensors.x.data.buffer).toBe(file.buffer);
    expect(decodeSafetensors(file, { copy: true }).tensors.x.data.buffer).not.toBe(file.buffer);
    const shifted = new Uint8Array(file.length + 1).subarray(1);
    shifted.set(file);
    const copied = decodeSafetensors(shifted).tensors.x;
    expect(copied.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(copied.data)).toEqual([1, 2, 3]);
  });

  it('widens the dtypes annet does not hold', () => {
    // F16 0x3c00 = 1, BF16 0x4049 = top half of float32 0x40490000 = 3.140625, U8 255, BOOL 1, I64 -5.
    const data = new Uint8Array(2 + 2 + 1 + 1 + 8 + 2);
    const view = new DataView(data.buffer);
    view.setUint16(0, 0x3c00, true);
    view.setUint16(2, 0x4049, true);
    data[4] = 255;
    data[5] = 1;
    view.setBigInt64(6, -5n, true);
    view.setInt16(14, -300, true);
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
      bf: { dtype: 'BF16', shape: [1], data_offsets: [2, 4] },
      u: { dtype: 'U8', shape: [1], data_offsets: [4, 5] },
      flag: { dtype: 'BOOL', shape: [], data_offsets: [5, 6] },
      count: { dtype: 'I64', shape: [], data_offsets: [6, 14] },
      s: { dtype: 'I16', shape: [1], data_offsets: [14, 16] },
    });
    const { tensors } = decodeSafetensors(safetensorsFile(header, data));
    expect([tensors.h.dtype, tensors.h.item()]).toEqual(['float32', 1]);
    expect([tensors.bf.dtype, tensors.bf.item()]).toEqual(['float32', 3.140625]);
    expect([tensors.u.dtype, tensors.u.item()]).toEqual(['int32', 255]);
    expect([tensors.flag.dtype, tensors.flag.item()]).toEqual(['int32', 1]);
    expect([tensors.count.dtype, tensors.count.item()]).toEqual(['int32', -5]);
    expect(tensors.s.item()).toBe(-300);
  });

  it('names the source and the problem for every malformed file', () => {
    const entry = (dtype: string, shape: unknown, offsets: unknown) =>
      JSON.stringify({ dtype, shape, data_offsets: offsets });
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(5), 'it has only 5 bytes (truncated?)'],
      [
        safetensorsFile('{}', new Uint8Array(0), 2 ** 40),
        'header length 1099511627776 is above the 100000000-byte limit',
      ],
      [safetensorsFile('{}', new Uint8Array(0), 50), 'header length 50 runs past the end of the 10-byte file'],
      [safetensorsFile('{"a":', new Uint8Array(0)), 'the header is not valid JSON'],
      [
        Uint8Array.from([...safetensorsFile('{"a":1}').subarray(0, 8), 0x7b, 0xff, 0x7d]).map((byte, index) =>
          index === 0 ? 3 : byte,
        ),
        'not valid UTF-8',
      ],
      [safetensorsFile('[1,2]'), 'the header must be a JSON object, got an array'],
      [
        safetensorsFile(`{"a":${entry('F128', [1], [0, 16])}}`, new Uint8Array(16)),
        'tensor \'a\': unknown dtype "F128"',
      ],
      [
        safetensorsFile(`{"a":${entry('F8_E4M3', [1], [0, 1])}}`, new Uint8Array(1)),
        'dtype F8_E4M3 (8-bit float) cannot be read',
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [-1], [0, 4])}}`, new Uint8Array(4)),
        "tensor 'a': shape must be an array of at most 64 non-negative integers",
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [1], [4, 0])}}`, new Uint8Array(4)),
        'data_offsets must be [begin, end] with 0 <= begin <= end',
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [1], [0, 4, 8])}}`, new Uint8Array(4)),
        'data_offsets must be [begin, end]',
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [2], [0, 4])}}`, new Uint8Array(4)),
        "tensor 'a': data_offsets [0,4] hold 4 bytes but F32 × [2] needs 8",
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [1000000, 1000000, 1000000], [0, 4])}}`, new Uint8Array(4)),
        'needs 4000000000000000000',
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [2], [0, 8])}}`, new Uint8Array(4)),
        'run past the 4-byte data section (truncated?)',
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [2], [0, 8])},"b":${entry('F32', [1], [4, 8])}}`, new Uint8Array(8)),
        "tensors 'a' and 'b' overlap",
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [1], [4, 8])}}`, new Uint8Array(8)),
        'bytes 0 to 4 of the data section belong to no tensor',
      ],
      [
        safetensorsFile(`{"a":${entry('F32', [1], [0, 4])}}`, new Uint8Array(8)),
        'the tensors cover 4 bytes but the data section has 8',
      ],
      [safetensorsFile('{"__metadata__":{"a":1}}'), "__metadata__ values must be strings, but 'a' is 1"],
      [safetensorsFile('{"__metadata__":[]}'), '__metadata__ must be an object'],
      [safetensorsFile('{"a":[]}'), "tensor 'a': its header entry must be an object"],
    ];
    for (const [bytes, message] of cases) {
      let caught: unknown;
      try {
        decodeSafetensors(bytes, { source: 'case.safetensors' });
      } catch (error) {
        caught = error;
      }
      expect(caught, message).toBeInstanceOf(AnnetError);
      expect((caught as Error).message, message).toContain('decodeSafetensors: case.safetensors: ');
      expect((caught as Error).message, message).toContain(message);
    }
  });
});

const dtypes = ['float32', 'float64', 'int32'] as const;
const namedTensors = fc.dictionary(
  fc.string({ maxLength: 10 }).filter((name) => name !== '__metadata__'),
  fc.record({ dtype: fc.constantFrom(...dtypes), shape: fc.array(fc.nat(4), { maxLength: 4 }), seed: fc.integer() }),
  { maxKeys: 6 },
);

function makeTensor({ dtype, shape, seed }: { dtype: (typeof dtypes)[number]; shape: number[]; seed: number }): Tensor {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  const values = Array.from(
    { length: size },
    (_, index) => ((seed ^ (index * 2654435761)) % 100000) / (dtype === 'int32' ? 1 : 7),
  );
  const data =
    dtype === 'float32'
      ? Float32Array.from(values)
      : dtype === 'float64'
        ? Float64Array.from(values)
        : Int32Array.from(values);
  return new Tensor(data, shape);
}

describe('safetensors round trip', () => {
  it('decodes what it encodes for every dtype, shape and name, empty tensors and metadata included, as aligned views', () => {
    fc.assert(
      fc.property(
        namedTensors,
        fc.option(fc.dictionary(fc.string(), fc.string(), { maxKeys: 4 })),
        (specs, metadata) => {
          const tensors = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, makeTensor(spec)]));
          const bytes = encodeSafetensors(tensors, metadata ?? undefined);
          const headerLength = new DataView(bytes.buffer).getUint32(0, true);
          expect(headerLength % 8).toBe(0);
          const decoded = decodeSafetensors(bytes);
          expect(decoded.metadata).toEqual(metadata ?? {});
          expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(tensors).sort());
          for (const [name, original] of Object.entries(tensors)) {
            const back = decoded.tensors[name];
            expect(back.dtype).toBe(original.dtype);
            expect(back.shape).toEqual(original.shape);
            expect(new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength)).toEqual(
              new Uint8Array(original.data.buffer),
            );
            // At most one copy per tensor; here none: every tensor is a view into the file.
            expect(back.data.buffer).toBe(bytes.buffer);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
