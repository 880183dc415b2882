import { AnnetError, tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint } from './checkpoint/decode.js';
import { encodeCheckpoint } from './checkpoint/encode.js';
import { sampleCheckpoint } from './checkpoint/test-checkpoints.js';
import { decodeSafetensors } from './safetensors/decode.js';
import { encodeSafetensors } from './safetensors/encode.js';

/** Byte strings derived from a valid file: random bit flips, overwrites, truncations and insertions. */
function mutationsOf(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat(255) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let bytes = valid.slice();
    for (const change of edits) {
      const at = bytes.length === 0 ? 0 : change.at % bytes.length;
      if (change.kind === 'flip' && bytes.length > 0) bytes[at] ^= 1 << change.bit;
      else if (change.kind === 'set' && bytes.length > 0) bytes[at] = change.value;
      else if (change.kind === 'truncate') bytes = bytes.slice(0, at);
      else if (change.kind === 'insert')
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...change.bytes, ...bytes.subarray(at)]);
    }
    return bytes;
  });
}

/** Runs `decode`; any exception other than an AnnetError fails the property. Returns the result or undefined. */
function onlyAnnetErrors<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (error) {
    if (error instanceof AnnetError) return undefined;
    throw error;
  }
}

/** A length prefix that points inside the buffer, so random bytes reach the JSON parser. */
const plausibleFiles = fc.uint8Array({ maxLength: 200 }).map((tail) => {
  const bytes = new Uint8Array(8 + tail.length);
  new DataView(bytes.buffer).setUint32(0, Math.min(tail.length, Math.floor(tail.length * 0.8)), true);
  bytes.set(tail, 8);
  return bytes;
});
const jsonishFiles = fc
  .string({ maxLength: 120, unit: fc.constantFrom(...'{}[]":,0123456789 dtypeshapdaofF32I_'.split('')) })
  .map((text) => {
    const header = new TextEncoder().encode(text);
    const bytes = new Uint8Array(8 + header.length + 8);
    new DataView(bytes.buffer).setUint32(0, header.length, true);
    bytes.set(header, 8);
    return bytes;
  });

describe('the hardened readers under fuzzing', () => {
  const validSafetensors = encodeSafetensors(
    {
      a: tensor([
        [1, 2],
        [3, 4],
      ]),
      b: tensor([5], { dtype: 'float64' }),
      c: tensor([6], { dtype: 'int32' }),
    },
    { note: 'x' },
  );
  const checkpoint = sampleCheckpoint();
  const validCheckpoint = encodeCheckpoint(checkpoint);

  it('answer random byte strings with an AnnetError or a result, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), plausibleFiles, jsonishFiles), (bytes) => {
        onlyAnnetErrors(() => decodeSafetensors(bytes, { source: 'fuzz' }));
        onlyAnnetErrors(() => decodeCheckpoint(bytes, { source: 'fuzz' }));
      }),
      { numRuns: 3000 },
    );
  });

  it('answer mutations and truncations of a valid safetensors file with an AnnetError or a result', () => {
    fc.assert(
      fc.property(mutationsOf(validSafetensors), (bytes) => void onlyAnnetErrors(() => decodeSafetensors(bytes))),
      { numRuns: 3000 },
    );
  });

  it('never load a mutated checkpoint as anything but the original: an AnnetError or identical content', () => {
    const original = decodeCheckpoint(validCheckpoint, { copy: true });
    const bits = (data: ArrayBufferView) => Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    fc.assert(
      fc.property(mutationsOf(validCheckpoint), (bytes) => {
        const loaded = onlyAnnetErrors(() => decodeCheckpoint(bytes, { source: 'fuzz.ckpt' }));
        if (loaded === undefined) return;
        // Only changes JSON ignores (whitespace in the padding) may get through the checksums.
        const { tensors, ...documents } = loaded;
        const { tensors: originalTensors, ...originalDocuments } = original;
        expect(documents).toEqual(originalDocuments);
        for (const [name, value] of Object.entries(originalTensors))
          expect(bits(tensors[name].data)).toEqual(bits(value.data));
      }),
      { numRuns: 2000 },
    );
  });
});
