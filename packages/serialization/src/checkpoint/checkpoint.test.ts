import type { JsonValue } from '@annet/layer-api';
import { AnnetError, Tensor, tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../safetensors/decode.js';
import { encodeSafetensors } from '../safetensors/encode.js';
import { modelTensorName, optimizerTensorName, parseCheckpointTensorName, type Checkpoint } from './checkpoint.js';
import { formatChecksum, headerChecksum } from './checksums.js';
import { decodeCheckpoint } from './decode.js';
import { encodeCheckpoint } from './encode.js';
import { sampleCheckpoint } from './test-checkpoints.js';

function expectSameCheckpoint(actual: Checkpoint, expected: Checkpoint): void {
  const { tensors: actualTensors, ...actualRest } = actual;
  const { tensors: expectedTensors, ...expectedRest } = expected;
  // The documents go through JSON, so JSON's reading of them is the reference.
  expect(actualRest).toEqual(JSON.parse(JSON.stringify(expectedRest)));
  expect(Object.keys(actualTensors).sort()).toEqual(Object.keys(expectedTensors).sort());
  for (const [name, original] of Object.entries(expectedTensors)) {
    const back = actualTensors[name];
    expect(back.dtype, name).toBe(original.dtype);
    expect(back.shape, name).toEqual(original.shape);
    const bits = (t: Tensor) => new Uint8Array(t.contiguous(true).data.buffer);
    expect(bits(back), name).toEqual(bits(original));
  }
}

function errorOf(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected an AnnetError');
}

/** A tensorless file with valid checksums but the given metadata, to reach the checks after them. */
function withMetadata(metadata: Record<string, string>): Uint8Array {
  const full = { ...metadata, dataCrc32: formatChecksum(crc32Of(new Uint8Array(0))) };
  return encodeSafetensors({}, { ...full, headerCrc32: formatChecksum(headerChecksum(full, [])) });
}

/** Bitwise CRC-32, the definition, so that checksums in these fixtures do not come from the code under test. */
function crc32Of(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const documents = (overrides: Record<string, string> = {}): Record<string, string> => ({
  format: 'annet-checkpoint',
  formatVersion: '1',
  annetVersion: '0.1.0',
  architecture: '{}',
  optimizer: 'null',
  schedule: 'null',
  rng: '{}',
  dataLoader: 'null',
  epoch: '0',
  step: '0',
  history: '{}',
  ...overrides,
});

describe('encodeCheckpoint and decodeCheckpoint', () => {
  it('round-trip a full checkpoint bit for bit', () => {
    const checkpoint = sampleCheckpoint();
    expectSameCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpoint)), checkpoint);
  });

  it('write a safetensors file any reader can open, with the documents as JSON strings and a CRC-32 of the data', () => {
    const bytes = encodeCheckpoint(sampleCheckpoint(3));
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(tensors)).toContain('optimizer.dense_1.weights.m');
    expect(metadata.format).toBe('annet-checkpoint');
    expect(metadata.formatVersion).toBe('1');
    expect(metadata.step).toBe('3');
    expect(JSON.parse(metadata.optimizer)).toEqual({
      type: 'Adam',
      config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      state: { step: 3 },
    });
    const dataStart = 8 + new DataView(bytes.buffer).getUint32(0, true);
    expect(metadata.dataCrc32).toBe(crc32Of(bytes.subarray(dataStart)).toString(16).padStart(8, '0'));
  });

  it('keeps extra and empty tensors, and writes identical bytes for identical checkpoints', () => {
    const checkpoint: Checkpoint = {
      ...sampleCheckpoint(),
      tensors: { 'model.empty': tensor([], { shape: [0, 3] }) },
      extra: { note: 'x' },
    };
    expectSameCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpoint)), checkpoint);
    expect(encodeCheckpoint(sampleCheckpoint())).toEqual(encodeCheckpoint(sampleCheckpoint()));
  });

  it('round-trip any JSON documents and tensors (property)', () => {
    const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
    fc.assert(
      fc.property(
        json,
        json,
        fc.dictionary(fc.string(), json, { maxKeys: 3 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.float(), { maxLength: 20 }),
        (architecture, history, rng, epoch, step, values) => {
          const checkpoint: Checkpoint = {
            ...sampleCheckpoint(),
            tensors: { 'model.w': new Tensor(Float32Array.from(values), [values.length]) },
            architecture,
            history,
            rng,
            epoch,
            step,
          };
          expectSameCheckpoint(decodeCheckpoint(encodeCheckpoint(checkpoint)), checkpoint);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('detect a flipped data bit and name the file', () => {
    const bytes = encodeCheckpoint(sampleCheckpoint());
    bytes[bytes.length - 3] ^= 0x10;
    const error = errorOf(() => decodeCheckpoint(bytes, { source: 'run/model.ckpt' }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toMatch(
      /^decodeCheckpoint: run\/model\.ckpt: data checksum mismatch \(stored [0-9a-f]{8}, computed [0-9a-f]{8}\)/,
    );
  });

  it('detect an edited document (step 7 → 8) through the header checksum', () => {
    const bytes = encodeCheckpoint(sampleCheckpoint(7));
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf('"step":"7"');
    expect(at).toBeGreaterThan(0);
    bytes[at + 8] = '8'.charCodeAt(0);
    const error = errorOf(() => decodeCheckpoint(bytes, { source: 'model.ckpt' }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain('model.ckpt: header checksum mismatch');
  });

  it('tell a plain safetensors file, another format and a newer version apart', () => {
    expect(
      errorOf(() => decodeCheckpoint(encodeSafetensors({ w: tensor([1]) }), { source: 'hf.safetensors' })).message,
    ).toBe(
      "decodeCheckpoint: hf.safetensors: not an annet checkpoint: its metadata has no 'format' (a plain safetensors file? read it with decodeSafetensors)",
    );
    expect(errorOf(() => decodeCheckpoint(encodeSafetensors({}, { format: 'pt' }))).message).toContain(
      'format is "pt", expected \'annet-checkpoint\'',
    );
    const newer = errorOf(() =>
      decodeCheckpoint(withMetadata(documents({ formatVersion: '2' })), { source: 'new.ckpt' }),
    );
    expect(newer.code).toBe('UNSUPPORTED');
    expect(newer.message).toContain(
      'new.ckpt: checkpoint format version "2" is not supported; this reader knows version 1',
    );
  });

  it('check every document after the checksums', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [documents({ architecture: '{"a":' }), "metadata 'architecture' is not valid JSON"],
      [
        documents({ optimizer: '{"type":"Adam"}' }),
        "metadata 'optimizer' must be null or an object with a string 'type'",
      ],
      [documents({ rng: '[]' }), "metadata 'rng' must be an object"],
      [documents({ step: '-1' }), 'metadata \'step\' must be a non-negative integer, got "-1"'],
      [documents({ epoch: '1e3' }), "metadata 'epoch' must be a non-negative integer"],
      [documents({ extra: '3' }), "metadata 'extra' must be an object"],
      [
        documents({ history: '['.repeat(100_000) + ']'.repeat(100_000) }),
        "metadata 'history' is nested more than 512 levels deep",
      ],
      [
        Object.fromEntries(Object.entries(documents()).filter(([key]) => key !== 'history')),
        "the checkpoint metadata lacks 'history'",
      ],
    ];
    for (const [metadata, message] of cases) {
      const error = errorOf(() => decodeCheckpoint(withMetadata(metadata), { source: 'c.ckpt' }));
      expect(error.message, message).toContain(`decodeCheckpoint: c.ckpt: ${message}`);
    }
    expect(decodeCheckpoint(withMetadata(documents({ step: '12' }))).step).toBe(12);
  });

  it('refuse to write what would not read back the same, naming the path', () => {
    const base = sampleCheckpoint();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: Array<[Checkpoint, string]> = [
      [{ ...base, history: { loss: [1, Number.NaN] } }, 'history.loss[1] is NaN, which JSON cannot hold'],
      [
        { ...base, optimizer: { type: 'Adam', config: {}, state: { m: new Float32Array(2) as unknown as JsonValue } } },
        "optimizer.state.m is a Float32Array, which JSON cannot hold; arrays belong in the checkpoint's tensors",
      ],
      [
        { ...base, architecture: { created: new Date(0) as unknown as JsonValue } },
        'architecture.created is a Date, not a plain object',
      ],
      [{ ...base, schedule: cycle as unknown as JsonValue }, 'schedule.self refers back to one of its own ancestors'],
      [{ ...base, history: [1, undefined] as unknown as JsonValue }, 'history[1] is empty or undefined'],
      [{ ...base, step: -1 }, 'step must be a non-negative integer, got -1'],
      [{ ...base, epoch: 1.5 }, 'epoch must be a non-negative integer, got 1.5'],
      [{ ...base, formatVersion: 2 as 1 }, "format must be 'annet-checkpoint' version 1"],
      [
        { ...base, optimizer: { type: 'Adam', config: {} } as unknown as Checkpoint['optimizer'] },
        'optimizer.state must be an object',
      ],
      [{ ...base, rng: null as unknown as Checkpoint['rng'] }, 'rng must be an object, got null'],
      [{ ...base, dataLoader: undefined as unknown as null }, 'dataLoader is missing; use null for "none"'],
    ];
    for (const [checkpoint, message] of cases) {
      expect(errorOf(() => encodeCheckpoint(checkpoint)).message, message).toContain(`encodeCheckpoint: ${message}`);
    }
  });
});

describe('checkpoint tensor names', () => {
  it('build and split model and optimizer names', () => {
    expect(modelTensorName('dense_1.weights')).toBe('model.dense_1.weights');
    expect(optimizerTensorName('dense_1.weights', 'm')).toBe('optimizer.dense_1.weights.m');
    expect(parseCheckpointTensorName('optimizer.dense_1.weights.v')).toEqual({
      kind: 'optimizer',
      parameterName: 'dense_1.weights',
      slot: 'v',
    });
    expect(parseCheckpointTensorName('model.batch_norm_1.running_mean')).toEqual({
      kind: 'model',
      name: 'batch_norm_1.running_mean',
    });
    expect(parseCheckpointTensorName('optimizer.m')).toEqual({ kind: 'other', name: 'optimizer.m' });
    expect(() => optimizerTensorName('w', 'a.b')).toThrow(
      'optimizerTensorName: slot "a.b" must be non-empty and contain no \'.\'',
    );
  });
});
