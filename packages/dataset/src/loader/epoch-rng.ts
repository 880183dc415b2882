import { createRng, type RngState } from '@annet/tensor';

/** A 32-bit avalanche mix (Wellons's "lowbias32"): nearby inputs give unrelated outputs. */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The seed of epoch `epoch`'s generator: a 53-bit hash of `(seed, epoch)`. Each epoch gets an
 * independent stream, and any epoch's order can be computed without replaying earlier ones, so
 * `setEpoch(n)` is O(1).
 */
export function epochSeed(seed: number, epoch: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  const epochLow = epoch >>> 0;
  const epochHigh = Math.floor(epoch / 4294967296) >>> 0;
  const a = mix32(low ^ mix32(epochLow ^ mix32(epochHigh + 0x9e3779b9)));
  const b = mix32(high ^ mix32(a + 0x85ebca6b));
  return (b & 0x1fffff) * 4294967296 + a;
}

/**
 * The state of the generator a loader seeded with `seed` uses for epoch `epoch`: the one value
 * that, with the dataset and sampler, fixes the whole epoch's order.
 *
 * @example
 * epochRngState(42, 3); // { algorithm: 'xoshiro128**', words: [...] }
 */
export function epochRngState(seed: number, epoch: number): RngState {
  return createRng(epochSeed(seed, epoch)).state();
}
