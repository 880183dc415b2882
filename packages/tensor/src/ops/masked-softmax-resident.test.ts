import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentZeros } from '../resident.js';
import { maskedSoftmaxBackwardResident, maskedSoftmaxResident } from './masked-softmax-resident.js';

function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)], 'float32').data as Float32Array;
  array.set(values);
  return array;
}

/** Softmax over the visible keys of each row and its backward, in float64: the naive reference. */
function reference(
  scores: Float32Array,
  upstream: Float32Array,
  rows: number,
  queries: number,
  keys: number,
  causal: boolean,
  scale: number,
) {
  const p = new Float64Array(rows * keys);
  const dx = new Float64Array(rows * keys);
  for (let row = 0; row < rows; row++) {
    const visible = causal ? Math.min(keys, (row % queries) + keys - queries + 1) : keys;
    const scaled = Array.from({ length: visible }, (_, j) => scale * scores[row * keys + j]);
    const largest = Math.max(...scaled);
    const exponentials = scaled.map((value) => Math.exp(value - largest));
    const total = exponentials.reduce((sum, value) => sum + value, 0);
    exponentials.forEach((value, j) => (p[row * keys + j] = value / total));
    let dot = 0;
    for (let j = 0; j < visible; j++) dot += p[row * keys + j] * upstream[row * keys + j];
    for (let j = 0; j < visible; j++) dx[row * keys + j] = scale * p[row * keys + j] * (upstream[row * keys + j] - dot);
  }
  return { p, dx };
}

describe('maskedSoftmaxResident and maskedSoftmaxBackwardResident', () => {
  it('match the float64 softmax and its backward over random geometries, causal or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (blocks, queries, extraKeys, causal, scale, seed) => {
          const keys = 4 * Math.ceil((queries + extraKeys) / 4); // ≥ queries, a multiple of 4
          const rows = blocks * queries;
          const scores = resident(Array.from({ length: rows * keys }, (_, i) => 6 * Math.sin(seed + 1.7 * i)));
          const upstream = resident(Array.from({ length: rows * keys }, (_, i) => Math.cos(seed + 0.9 * i)));
          const expected = reference(scores, upstream, rows, queries, keys, causal, scale);
          expect(maskedSoftmaxResident(scores, rows, queries, keys, causal, scale)).toBe(true);
          expect(maskedSoftmaxBackwardResident(scores, upstream, rows, queries, keys, causal, scale)).toBe(true);
          for (let index = 0; index < rows * keys; index++) {
            expect(Math.abs(scores[index] - expected.p[index]), `p ${index}`).toBeLessThanOrEqual(1e-6);
            expect(Math.abs(upstream[index] - expected.dx[index]), `dx ${index}`).toBeLessThanOrEqual(
              1e-6 * (1 + scale),
            );
            if (expected.p[index] === 0) expect(scores[index] === 0 && upstream[index] === 0).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is stable: scores of ±1e4 give exact one-hot rows, and −∞ scores give exact zeros', () => {
    const scores = resident([1e4, -1e4, 0, -1e4, -Infinity, 2, -Infinity, 2]);
    expect(maskedSoftmaxResident(scores, 2, 2, 4, false, 1)).toBe(true);
    expect(Array.from(scores)).toEqual([1, 0, 0, 0, 0, 0.5, 0, 0.5]);
  });

  it('returns false for keys that are not a multiple of 4, fewer keys than causal queries, or ordinary arrays', () => {
    const scores = resident([1, 2, 3, 4, 5, 6]);
    expect(maskedSoftmaxResident(scores, 2, 2, 3, false, 1)).toBe(false);
    expect(maskedSoftmaxResident(resident(new Float32Array(32)), 8, 8, 4, true, 1)).toBe(false);
    expect(maskedSoftmaxResident(Float32Array.from([1, 2, 3, 4]), 1, 1, 4, false, 1)).toBe(false);
    expect(Array.from(scores)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses geometries that do not fit, naming them', () => {
    expect(() => maskedSoftmaxResident(resident([1, 2, 3, 4]), 2, 1, 4, false, 1)).toThrow(
      'maskedSoftmaxResident: expected rows a multiple of queries ≥ 1 and rows·keys ≤ 4 elements, got rows 2, queries 1, keys 4',
    );
    expect(() => maskedSoftmaxResident(resident(new Float32Array(12)), 3, 2, 4, true, 1)).toThrow('rows 3, queries 2');
  });
});
