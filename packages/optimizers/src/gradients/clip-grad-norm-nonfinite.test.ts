import { describe, expect, it } from 'vitest';
import { float32Bits, gradientPlacements, mixedFloat32, placedParameters } from '../testing/gradient-placements.js';
import { fixtureNumber, torchFixtures } from '../testing/torch-fixtures.js';
import { clipGradNorm } from './clip-grad-norm.js';

/** 4,100 ordinary values (a block, a vector and a tail of 4 past it) with `value` at each of `at`. */
function withValue(value: number, at: readonly number[]): Float32Array {
  const gradient = mixedFloat32(4100, 7, false);
  for (const index of at) gradient[index] = value;
  return gradient;
}

describe('clipGradNorm with NaN or infinite float32 gradients, on every path', () => {
  for (const fixture of torchFixtures.clipGradNorm) {
    it(`scales by the non-finite norm as PyTorch 1.13's clip_grad_norm_ does: ${fixture.name}`, () => {
      const gradients = fixture.gradients.map((values) => Float32Array.from(values.map(fixtureNumber)));
      for (const placement of gradientPlacements) {
        const parameters = placedParameters(placement, gradients);
        expect(clipGradNorm(parameters, fixture.maxNorm, fixtureNumber(fixture.normType))).toBe(
          fixtureNumber(fixture.norm),
        );
        // toEqual tells −0 from 0 and takes any NaN for any NaN, as the fixture's "NaN" is.
        parameters.forEach((parameter, index) =>
          expect([...parameter.grad]).toEqual(fixture.clipped[index].map(fixtureNumber)),
        );
      }
    });
  }

  it('makes every gradient NaN for a NaN anywhere (in a vector or in a tail), with the same bits on every path', () => {
    for (const at of [[5], [4099], [17, 4096]]) {
      const gradients = [withValue(Number.NaN, at), Float32Array.of(1, -2, 3)];
      const [reference, ...others] = gradientPlacements.map((placement) => {
        const parameters = placedParameters(placement, gradients);
        return { norm: clipGradNorm(parameters, 1), bits: parameters.map((p) => float32Bits(p.grad as Float32Array)) };
      });
      expect(reference.norm).toBeNaN();
      expect(reference.bits.flat().every((bits) => (bits & 0x7fffffff) > 0x7f800000)).toBe(true);
      for (const other of others) {
        expect(other.norm).toBeNaN();
        expect(other.bits).toEqual(reference.bits);
      }
    }
  });

  it('zeroes the finite gradients (signs kept) and makes the infinite ones NaN for an infinite norm', () => {
    const gradients = [withValue(Number.NEGATIVE_INFINITY, [9, 4098]), Float32Array.of(-2, 0, 3)];
    const [reference, ...others] = gradientPlacements.map((placement) => {
      const parameters = placedParameters(placement, gradients);
      return { norm: clipGradNorm(parameters, 1), bits: parameters.map((p) => float32Bits(p.grad as Float32Array)) };
    });
    expect(reference.norm).toBe(Number.POSITIVE_INFINITY);
    // coefficient = 1 / (∞ + 10^−6) = 0: x · 0 is ±0 with x's sign, ∞ · 0 is NaN.
    const expected = gradients.map((gradient) => float32Bits(gradient.map((value) => value * 0)));
    expect(reference.bits).toEqual(expected);
    for (const other of others) {
      expect(other.norm).toBe(Number.POSITIVE_INFINITY);
      expect(other.bits).toEqual(reference.bits);
    }
  });

  it('throws INVALID_STATE with errorIfNonfinite: true before changing any resident gradient', () => {
    for (const [value, normType] of [
      [Number.NaN, 2],
      [Number.POSITIVE_INFINITY, 2],
      [Number.NaN, Number.POSITIVE_INFINITY],
    ]) {
      const gradients = [Float32Array.of(4, 5), withValue(value, [4097])];
      for (const placement of gradientPlacements) {
        const parameters = placedParameters(placement, gradients);
        expect(() => clipGradNorm(parameters, 1, normType, { errorIfNonfinite: true })).toThrow(
          /^clipGradNorm: the total gradient norm is (NaN|Infinity); check the loss/,
        );
        parameters.forEach((parameter, index) =>
          expect(float32Bits(parameter.grad as Float32Array)).toEqual(float32Bits(gradients[index])),
        );
      }
    }
  });

  it('skips frozen parameters on the SIMD path too: their gradients neither count nor scale', () => {
    for (const placement of gradientPlacements) {
      const [live, frozen] = placedParameters(placement, [Float32Array.of(3, 4), Float32Array.of(Number.NaN, 100)]);
      expect(clipGradNorm([live, { ...frozen, trainable: false }], 1)).toBe(5);
      expect([...live.grad]).toEqual([Math.fround(3 / (5 + 1e-6)), Math.fround(4 / (5 + 1e-6))]);
      expect([...frozen.grad]).toEqual([Number.NaN, 100]);
    }
  });
});
