/**
 * Test helper: fills `values` in place with deterministic numbers in [-1, 1) from `seed` (a small
 * LCG: tests need variety, not quality) and returns it. Not part of the package (excluded from the build).
 *
 * @example
 * const a = fillDeterministic(new Float32Array(12), 7);
 */
export function fillDeterministic(values: Float32Array, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  for (let index = 0; index < values.length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[index] = state / 2 ** 31 - 1;
  }
  return values;
}
