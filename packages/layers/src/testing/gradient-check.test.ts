import { createRng, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Softmax } from '../activations/softmax.js';
import { ReLU } from '../activations/relu.js';
import { Dense } from '../core/dense.js';
import {
  centralDifferenceFloor,
  checkLayerGradients,
  expectGradientsToMatch,
  gradientsMatch,
  randomInput,
} from './gradient-check.js';

const f64 = (values: number[], shape: number[]) => new Tensor(Float64Array.from(values), shape);

describe('the gradient checker', () => {
  it('passes a saturated softmax (issue 13: seed 23615, shape [2], gradient ~4e-6, numeric noise ~1e-11)', () => {
    const errors = checkLayerGradients(new Softmax({ axis: -1, dtype: 'float64' }), randomInput([2], 23615, 2), {
      seed: 23615,
    });
    // The old purely relative test failed here: the error relative to the tiny gradient is above 1e-6 ...
    expect(errors[0].relativeError).toBeGreaterThan(1e-6);
    expect(errors[0].largestGradient).toBeLessThan(1e-4);
    // ... while the absolute difference sits far under the rounding floor of the central difference.
    expect(errors[0].largestDifference!).toBeLessThan(errors[0].absoluteFloor!);
    expectGradientsToMatch(errors);
  });

  it('passes a softmax saturated harder still, where the gradient is ~1e-9', () => {
    expectGradientsToMatch(
      checkLayerGradients(new Softmax({ axis: -1, dtype: 'float64' }), f64([0, 21, -3], [1, 3]), { seed: 4 }),
    );
  });

  it('passes a ReLU with a dead region (a whole row negative: its gradient is exactly zero)', () => {
    const x = f64([-1.5, -0.7, -2, -0.3, 0.4, -0.9, 1.2, 0.8], [2, 4]);
    const relu = new ReLU();
    const errors = checkLayerGradients(relu, x, { seed: 1 });
    expectGradientsToMatch(errors);
    relu.forward(x);
    const dx = relu.backward(randomInput([2, 4], 2)).contiguous(true);
    expect(Array.from(dx.data.subarray(0, 4))).toEqual([0, 0, 0, 0]);
  });

  it('passes tiny gradients: a Dense layer whose input is 1e-9 has weight gradients ~1e-9', () => {
    const dense = new Dense(3, 2, { dtype: 'float64' });
    dense.initialize(createRng(7));
    const errors = checkLayerGradients(dense, randomInput([4, 3], 3, 1e-9), { seed: 3 });
    const weights = errors.find((error) => error.name.endsWith('weights'))!;
    expect(weights.largestGradient).toBeLessThan(1e-8);
    expectGradientsToMatch(errors);
  });

  it('fails a wrong backward: a softmax whose input gradient is off by 1 % (and one with the wrong sign)', () => {
    for (const factor of [1.01, -1]) {
      const softmax = new Softmax({ axis: -1, dtype: 'float64' });
      const right = softmax.backward.bind(softmax);
      softmax.backward = (gradient) => {
        const dx = right(gradient);
        return new Tensor(
          Float64Array.from(dx.contiguous(true).data, (value) => value * factor),
          dx.shape,
        );
      };
      const errors = checkLayerGradients(softmax, randomInput([3, 4], 9), { seed: 9 });
      expect(gradientsMatch(errors[0])).toBe(false);
      expect(() => expectGradientsToMatch(errors)).toThrow(/input: max \|analytic − numeric\|/);
    }
  });

  it('fails a wrong backward even where the gradient is tiny, once the error is above the noise floor', () => {
    const softmax = new Softmax({ axis: -1, dtype: 'float64' });
    const right = softmax.backward.bind(softmax);
    softmax.backward = (gradient) => {
      const dx = right(gradient).contiguous(true);
      return new Tensor(
        Float64Array.from(dx.data, (value) => value + 1e-7),
        dx.shape,
      );
    };
    expect(gradientsMatch(checkLayerGradients(softmax, randomInput([2], 23615, 2), { seed: 23615 })[0])).toBe(false);
  });

  it('derives the floor from rounding (16·2⁻⁵³·S/ε) and truncation (ε²·max(S, 1))', () => {
    // S = 1, ε = 1e-5: 16 · 1.11e-16 / 1e-5 = 1.78e-10, plus 1e-10.
    expect(centralDifferenceFloor(1, 1e-5)).toBeCloseTo((16 * 2 ** -53) / 1e-5 + 1e-10, 20);
    expect(centralDifferenceFloor(1000, 1e-5) / centralDifferenceFloor(1, 1e-5)).toBeCloseTo(1000, 6);
  });
});
