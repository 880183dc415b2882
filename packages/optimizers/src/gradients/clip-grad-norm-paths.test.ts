import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradientNormKernelsFor } from '../kernels/gradient-norm-kernels.js';
import { float32Bits, gradientPlacements, mixedFloat32, placedParameters } from '../testing/gradient-placements.js';
import { testMemory } from '../testing/resident-memory.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { normBlockElements } from './norm-reductions.js';

// Gradient lengths: shorter than one 8-element step, around a block's end, and several blocks
// with a tail (most not multiples of 4).
const lengths = fc.oneof(
  fc.integer({ min: 0, max: 17 }),
  fc.integer({ min: normBlockElements - 9, max: normBlockElements + 9 }),
  fc.integer({ min: 0, max: 5 * normBlockElements + 11 }),
);
const cases = fc.record({
  lengths: fc.array(lengths, { minLength: 1, maxLength: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  large: fc.boolean(),
  // 0 zeroes every gradient, 1e300 leaves them alone, the rest scale most of them.
  maxNorm: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.constant(1e300)),
});

/** Σ x² over every element, one float64 chain in element order (the naive reference). */
function naiveSumOfSquares(gradients: readonly Float32Array[]): number {
  let sum = 0;
  for (const gradient of gradients) for (const value of gradient) sum += value * value;
  return sum;
}

describe('clipGradNorm on the TypeScript, the SIMD and the thread-sharing paths', () => {
  it('binds its SIMD kernels to shared and ordinary memories (the resident placements do run them)', () => {
    for (const shared of [true, false]) expect(gradientNormKernelsFor(testMemory({ shared, pages: 1 }))).not.toBeNull();
  });

  it('returns the same norm and scales to the same gradients, bit for bit, within float64 rounding of the exact norm (property)', () => {
    fc.assert(
      fc.property(cases, ({ lengths: sizes, seed, large, maxNorm }) => {
        const gradients = sizes.map((length, index) => mixedFloat32(length, seed + index, large));
        const [reference, ...others] = gradientPlacements.map((placement) => {
          const parameters = placedParameters(placement, gradients);
          const norm = clipGradNorm(parameters, maxNorm);
          return { norm, bits: parameters.map((parameter) => float32Bits(parameter.grad as Float32Array)) };
        });
        for (const other of others) {
          expect(other.norm).toBe(reference.norm);
          expect(other.bits).toEqual(reference.bits);
        }
        // The scaling is g · coefficient rounded to float32, or nothing when the coefficient is ≥ 1.
        const coefficient = maxNorm / (reference.norm + 1e-6);
        const expected = gradients.map((gradient) =>
          float32Bits(coefficient >= 1 ? gradient : gradient.map((value) => value * coefficient)),
        );
        expect(reference.bits).toEqual(expected);
        // Every term is ≥ 0, so each sum is within (its longest chain of additions)·2^−53 of the
        // exact one, relative: the naive chain has one addition per element, the blocked sum at
        // most 512 per lane, 3 to combine the lanes and one per block. The root halves that; 2^−52
        // covers the two roots' rounding.
        const elements = sizes.reduce((sum, length) => sum + length, 0);
        const blocks = sizes.reduce((sum, length) => sum + Math.ceil(length / normBlockElements), 0);
        const naive = Math.sqrt(naiveSumOfSquares(gradients));
        const tolerance = ((elements + normBlockElements / 8 + 3 + blocks) * 2 ** -53) / 2 + 2 ** -52;
        expect(Math.abs(reference.norm - naive)).toBeLessThanOrEqual(tolerance * naive);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same infinity norm on every path, the largest magnitude exactly (property)', () => {
    fc.assert(
      fc.property(cases, ({ lengths: sizes, seed, large, maxNorm }) => {
        const gradients = sizes.map((length, index) => mixedFloat32(length, seed + index, large));
        let largest = 0;
        for (const gradient of gradients) for (const value of gradient) largest = Math.max(largest, Math.abs(value));
        for (const placement of gradientPlacements) {
          const parameters = placedParameters(placement, gradients);
          expect(clipGradNorm(parameters, maxNorm, Number.POSITIVE_INFINITY)).toBe(largest);
          const coefficient = maxNorm / (largest + 1e-6);
          parameters.forEach((parameter, index) =>
            expect(float32Bits(parameter.grad as Float32Array)).toEqual(
              float32Bits(coefficient >= 1 ? gradients[index] : gradients[index].map((value) => value * coefficient)),
            ),
          );
        }
      }),
      { numRuns: 30 },
    );
  });
});
