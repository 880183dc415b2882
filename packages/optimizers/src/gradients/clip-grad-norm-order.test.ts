import { describe, expect, it } from 'vitest';
import { float32Bits, gradientPlacements, placedParameters } from '../testing/gradient-placements.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { largestMagnitude, normBlockElements, sumOfSquaresInBlocks } from './norm-reductions.js';

/**
 * Two gradients whose sum of squares rounds differently in each order. `first` is one block of
 * 4,096 elements: 2^27, then 4,095 ones. `second` is [1, 1, 1, 1].
 *
 * In the block order: lane 0 of `first` holds 2^27's square, 2^54, and 511 ones added one at a
 * time; 2^54 + 1 lies a quarter of a float64 step (4 at 2^54) above 2^54, so every one is lost and
 * s0 = 2^54. Lanes 1 to 7 hold 512 ones each, exactly. Combined:
 * ((2^54 + 512) + (512 + 512)) + ((512 + 512) + (512 + 512)) = (2^54 + 1536) + 2048 = 2^54 + 3584,
 * every step exact (multiples of 4). `second`'s block gives ((1 + 1) + (0 + 0)) + ((1 + 1) + (0 + 0))
 * = 4, and the total 2^54 + 3588, exactly. The norm is its correctly rounded root.
 *
 * One chain in element order loses all 4,099 ones (2^54). The exact sum is 2^54 + 4099: the
 * blocks come within 511 of it (2^−45 relative), the chain 4,099 away.
 */
function roundingCase(): Float32Array[] {
  const first = new Float32Array(normBlockElements).fill(1);
  first[0] = 2 ** 27;
  return [first, Float32Array.of(1, 1, 1, 1)];
}

describe('clipGradNorm sums squares in 4,096-element blocks of eight lanes (hand-derived)', () => {
  it('returns √(2^54 + 3588) for 2^27 and 4,099 ones on every path, where one chain would give 2^27', () => {
    expect(normBlockElements).toBe(4096);
    const gradients = roundingCase();
    expect(sumOfSquaresInBlocks(gradients[1], sumOfSquaresInBlocks(gradients[0], 0))).toBe(2 ** 54 + 3588);
    for (const placement of gradientPlacements) {
      const parameters = placedParameters(placement, gradients);
      // maxNorm 2^26 halves the gradients, nearly: coefficient = 2^26 / (√(2^54 + 3588) + 10^−6).
      expect(clipGradNorm(parameters, 2 ** 26)).toBe(Math.sqrt(2 ** 54 + 3588));
      const coefficient = 2 ** 26 / (Math.sqrt(2 ** 54 + 3588) + 1e-6);
      expect(coefficient).toBeLessThan(0.5);
      const scaledOne = Math.fround(coefficient);
      expect(scaledOne).toBe(0.5); // 0.5 − 2^−30 or so rounds to 0.5 in float32
      expect(float32Bits(parameters[1].grad as Float32Array)).toEqual(float32Bits(new Float32Array(4).fill(0.5)));
      expect(parameters[0].grad[0]).toBe(Math.fround(2 ** 27 * coefficient));
    }
    let chain = 0;
    for (const gradient of gradients) for (const value of gradient) chain += value * value;
    expect(chain).toBe(2 ** 54);
  });

  it('adds a gradient after a block boundary as a block of its own: 4,097 elements (1 after the block)', () => {
    // The block sum of `first` is 2^54 + 3584 (above); the second block [1] adds 1, and
    // 2^54 + 3585 rounds to the even 2^54 + 3584 (a quarter step above).
    const gradient = new Float32Array(normBlockElements + 1).fill(1);
    gradient[0] = 2 ** 27;
    for (const placement of gradientPlacements) {
      const parameters = placedParameters(placement, [gradient]);
      expect(clipGradNorm(parameters, 1e300)).toBe(Math.sqrt(2 ** 54 + 3584));
    }
  });

  it('takes the largest magnitude for the infinity norm, in the vectors and in the tail', () => {
    // 37 elements: four 8-element steps and a tail of 5; the largest, −7, sits in the tail, a
    // subnormal and −6 in the steps.
    const gradient = new Float32Array(37).fill(0.25);
    gradient[3] = 1e-45;
    gradient[10] = -6;
    gradient[35] = -7;
    expect(largestMagnitude(gradient, 0)).toBe(7);
    for (const placement of gradientPlacements) {
      const parameters = placedParameters(placement, [gradient, Float32Array.of(-6.5)]);
      expect(clipGradNorm(parameters, 100, Number.POSITIVE_INFINITY)).toBe(7);
    }
  });
});
