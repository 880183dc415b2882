import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../kernels/js-kernels.js';
import { useKernels } from '../kernels/kernel-selection.js';
import { residentZeros } from '../resident.js';
import { layerNormBackwardResident, layerNormResident } from './layer-norm-resident.js';

function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)], 'float32').data as Float32Array;
  array.set(values);
  return array;
}

/** The formulas of the LayerNorm class comment, row by row in float64: the naive reference. */
function reference(
  x: Float32Array,
  dy: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  rows: number,
  size: number,
) {
  const y = new Float64Array(rows * size);
  const dx = new Float64Array(rows * size);
  const dGamma = new Float64Array(size);
  const dBeta = new Float64Array(size);
  for (let row = 0; row < rows; row++) {
    const values = Array.from(x.subarray(row * size, (row + 1) * size));
    const mean = values.reduce((sum, value) => sum + value, 0) / size;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / size;
    const inverse = 1 / Math.sqrt(variance + 1e-5);
    const normalized = values.map((value) => (value - mean) * inverse);
    const g = normalized.map((_, i) => dy[row * size + i] * gamma[i]);
    const meanG = g.reduce((sum, value) => sum + value, 0) / size;
    const meanGNormalized = g.reduce((sum, value, i) => sum + value * normalized[i], 0) / size;
    for (let i = 0; i < size; i++) {
      y[row * size + i] = normalized[i] * gamma[i] + beta[i];
      dx[row * size + i] = inverse * (g[i] - meanG - normalized[i] * meanGNormalized);
      dGamma[i] += dy[row * size + i] * normalized[i];
      dBeta[i] += dy[row * size + i];
    }
  }
  return { y, dx, dGamma, dBeta };
}

function expectClose(actual: Float32Array, expected: Float64Array, tolerance: number): void {
  for (let index = 0; index < expected.length; index++)
    expect(Math.abs(actual[index] - expected[index]), `index ${index}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[index])),
    );
}

describe('layerNormResident and layerNormBackwardResident', () => {
  it('match the float64 formulas to float32 rounding over random rows, sizes (multiples of 4) and values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 12 }).map((quarter) => 4 * quarter),
        fc.integer({ min: 0, max: 1e6 }),
        (rows, size, seed) => {
          const value = (index: number, salt: number) => 3 * Math.sin(seed + salt * 7.3 + index * 1.37) + salt;
          const x = resident(Array.from({ length: rows * size }, (_, i) => value(i, 1)));
          const dy = resident(Array.from({ length: rows * size }, (_, i) => value(i, 2)));
          const gamma = resident(Array.from({ length: size }, (_, i) => value(i, 3)));
          const beta = resident(Array.from({ length: size }, (_, i) => value(i, 4)));
          const [y, dx] = [resident(new Float32Array(rows * size)), resident(new Float32Array(rows * size))];
          const [dGamma, dBeta] = [resident(new Float32Array(size)), resident(new Float32Array(size))];
          expect(layerNormResident(x, y, gamma, beta, rows, size, 1e-5)).toBe(true);
          expect(layerNormBackwardResident(x, dy, gamma, dx, dGamma, dBeta, rows, size, 1e-5)).toBe(true);
          const expected = reference(x, dy, gamma, beta, rows, size);
          // x̂ is O(√size) at most and γ, dy are O(5): a few hundred float32 ulps of the magnitudes.
          expectClose(y.subarray(0, rows * size), expected.y, 2e-5);
          expectClose(dx.subarray(0, rows * size), expected.dx, 1e-4);
          expectClose(dGamma, expected.dGamma, 1e-4 * Math.max(1, rows));
          expectClose(dBeta, expected.dBeta, 1e-5 * Math.max(1, rows));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns false and writes nothing for a size that is not a multiple of 4, ordinary arrays, or the TypeScript kernels', () => {
    const [x, y, gamma, beta] = [
      resident([1, 2, 3, 4, 5, 6]),
      resident([0, 0, 0, 0, 0, 0]),
      resident([1, 1, 1]),
      resident([0, 0, 0]),
    ];
    expect(layerNormResident(x, y, gamma, beta, 2, 3, 1e-5)).toBe(false);
    expect(layerNormResident(Float32Array.from(x), y, resident([1, 1, 1, 1]), resident([0, 0, 0, 0]), 1, 4, 1e-5)).toBe(
      false,
    );
    const previous = useKernels(jsKernels);
    try {
      expect(layerNormResident(x, y, resident([1, 1, 1, 1]), resident([0, 0, 0, 0]), 1, 4, 1e-5)).toBe(false);
    } finally {
      useKernels(previous);
    }
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('refuses rows and sizes that do not fit the arrays, naming them', () => {
    const four = resident([1, 2, 3, 4]);
    expect(() => layerNormResident(four, four, four, four, 2, 4, 1e-5)).toThrow(
      'layerNormResident: rows 2 × size 4 do not fit arrays of 4 and 4 elements (rows·size each) and γ of 4 (size)',
    );
    expect(() => layerNormBackwardResident(four, four, four, four, resident([0, 0]), four, 1, 4, 1e-5)).toThrow(
      'γ of 2',
    );
  });
});
