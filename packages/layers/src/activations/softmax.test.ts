import fc from 'fast-check';
import { tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { Softmax } from './softmax.js';

describe('Softmax', () => {
  it('normalizes along the last axis by default', () => {
    // e^[1, 2, 3] / (e + e² + e³) = [0.0900306, 0.2447285, 0.6652410].
    const output = new Softmax().forward(tensor([[1, 2, 3]], { dtype: 'float64' }));
    [0.09003057317038046, 0.24472847105479764, 0.6652409557748219].forEach((value, index) =>
      expect(output.data[index]).toBeCloseTo(value, 15),
    );
  });

  it('backward matches central differences along any axis, over random shapes and seeds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.nat(),
        (generatedShape, seed, axisSeed) => {
          const axis = (axisSeed % generatedShape.length) - (axisSeed % 2 === 0 ? 0 : generatedShape.length);
          // A softmax over one element is constant: widen the softmax axis (a copy, never the generated array).
          const shape = generatedShape.map((size, index) =>
            index === (axis < 0 ? axis + generatedShape.length : axis) ? size + 1 : size,
          );
          expectGradientsToMatch(
            checkLayerGradients(new Softmax({ axis, dtype: 'float64' }), randomInput(shape, seed, 2), { seed }),
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('reuses its buffers across steps', () => {
    const softmax = new Softmax();
    const x = randomInput([3, 4], 1);
    const y = softmax.forward(x);
    const dx = softmax.backward(y);
    expect(softmax.forward(x)).toBe(y);
    expect(softmax.backward(y)).toBe(dx);
  });
});
