import type { FloatArray } from '@annet/layer-api';

/**
 * A 64-bit fingerprint of an array's bytes (two independent 32-bit hashes, FNV-1a and a
 * multiply-rotate hash, over its 32-bit words), so a model can tell later whether a parameter was
 * changed since it was constructed without keeping a copy. Two arrays with different bytes share a
 * fingerprint with probability about 2^-64.
 *
 * @example
 * const before = valueFingerprint(parameter.value);
 * parameter.value[0] += 1;
 * fingerprintsEqual(before, valueFingerprint(parameter.value)); // false
 */
export function valueFingerprint(values: FloatArray): readonly [number, number] {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.byteLength / 4);
  let fnv = 0x811c9dc5;
  let mixed = words.length;
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    fnv = Math.imul(fnv ^ word, 0x01000193);
    mixed = Math.imul(mixed ^ Math.imul(word, 0xcc9e2d51), 0x1b873593);
    mixed = (mixed << 13) | (mixed >>> 19);
  }
  return [fnv >>> 0, mixed >>> 0];
}

/**
 * `true` when two fingerprints of {@link valueFingerprint} are equal.
 *
 * @example
 * fingerprintsEqual([1, 2], [1, 2]); // true
 */
export function fingerprintsEqual(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
