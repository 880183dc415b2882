import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { tensor } from '../create.js';
import { decodeNpy, encodeNpy } from './npy.js';
import { decodeNpz, encodeNpz } from './npz.js';

/** Byte strings derived from a valid file: random flips, overwrites, truncations and insertions. */
function mutationsOf(valid: Uint8Array) {
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

function onlyAnnetErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof AnnetError)) throw error;
  }
}

async function onlyAnnetErrorsAsync(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof AnnetError)) throw error;
  }
}

const validNpy = encodeNpy(
  tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { dtype: 'float64' },
  ),
);
const npyMagic = validNpy.subarray(0, 8);

describe('hardened NPY and NPZ readers under fuzzing', () => {
  it('answer random byte strings with an AnnetError or a valid array, never anything else', () => {
    const withMagic = fc.uint8Array({ maxLength: 200 }).map((tail) => Uint8Array.from([...npyMagic, ...tail]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), withMagic), (bytes) =>
        onlyAnnetErrors(() => decodeNpy(bytes, 'fuzz.npy')),
      ),
      { numRuns: 3000 },
    );
  });

  it('answer mutations and truncations of a valid NPY file with an AnnetError or a valid array', () => {
    fc.assert(
      fc.property(mutationsOf(validNpy), (bytes) => onlyAnnetErrors(() => decodeNpy(bytes, 'fuzz.npy'))),
      { numRuns: 3000 },
    );
  });

  it('answer random bytes and mutations of a valid NPZ file (stored members) with an AnnetError or arrays', async () => {
    const valid = encodeNpz({ a: tensor([1, 2, 3]), b: tensor([[1]], { dtype: 'int32' }) });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutationsOf(valid)), (bytes) =>
        onlyAnnetErrorsAsync(() => decodeNpz(bytes, 'fuzz.npz')),
      ),
      { numRuns: 1500 },
    );
  });

  it('answer mutations of a deflated NPZ file with an AnnetError or arrays', async () => {
    // np.savez_compressed(f, weights=np.array([[1.5, -2], [0.25, 8]], dtype='<f4'), labels=np.array([3, 1, 4, 1, 5], dtype=np.uint8))
    const valid = Uint8Array.from(
      Buffer.from(
        'UEsDBC0AAAAIAAAAIQA35EJJ//////////8LABQAd2VpZ2h0cy5ucHkBABAAkAAAAAAAAABUAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CkaaOgq1CmQDLgaGA/YMQIKBocEOSDsCAFBLAwQtAAAACAAAACEApBYjQf//////////CgAUAGxhYmVscy5ucHkBABAAhQAAAAAAAABJAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF5Taqiuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GqY6mjoKtQoUAC5mRhZGVgBQSwECLQMtAAAACAAAACEAN+RCSVQAAACQAAAACwAAAAAAAAAAAAAAgAEAAAAAd2VpZ2h0cy5ucHlQSwECLQMtAAAACAAAACEApBYjQUkAAACFAAAACgAAAAAAAAAAAAAAgAGRAAAAbGFiZWxzLm5weVBLBQYAAAAAAgACAHEAAAAWAQAAAAA=',
        'base64',
      ),
    );
    await expect(decodeNpz(valid)).resolves.toBeDefined();
    await fc.assert(
      fc.asyncProperty(mutationsOf(valid), (bytes) => onlyAnnetErrorsAsync(() => decodeNpz(bytes, 'fuzz.npz'))),
      { numRuns: 1000 },
    );
  });
});
