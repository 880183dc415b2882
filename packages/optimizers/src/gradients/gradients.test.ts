import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SGD } from '../optimizers/sgd.js';
import { makeParameter, makeTrainable } from '../testing/fixtures.js';
import { fixtureNumber, torchFixtures } from '../testing/torch-fixtures.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { clipGradValue } from './clip-grad-value.js';
import { GradientAccumulator } from './gradient-accumulator.js';

describe('clipGradNorm', () => {
  it('scales all gradients together and returns the norm before clipping (3-4-12 triangle)', () => {
    // ‖(3, 4, 12)‖ = 13; clipped to 6.5 the factor is 6.5 / (13 + 1e-6) ≈ 0.5.
    const a = makeParameter('a', [2], [0, 0]);
    const b = makeParameter('b', [1], [0]);
    a.grad.set([3, 4]);
    b.grad.set([12]);
    expect(clipGradNorm(makeTrainable('m', [a, b]), 6.5)).toBe(13);
    expect([...a.grad, ...b.grad].map((value) => Number(value.toFixed(6)))).toEqual([1.5, 2, 6]);
  });

  it('leaves gradients alone when the norm is within the limit, and skips frozen parameters', () => {
    const a = makeParameter('a', [2], [0, 0]);
    const frozen = { ...makeParameter('f', [1], [0]), trainable: false };
    a.grad.set([3, 4]);
    frozen.grad.set([100]);
    expect(clipGradNorm([a, frozen], 10)).toBe(5);
    expect([...a.grad, ...frozen.grad]).toEqual([3, 4, 100]);
  });

  it('supports the infinity norm and p-norms: ‖(3, −4)‖∞ = 4, ‖(3, −4)‖₁ = 7', () => {
    const a = makeParameter('a', [2], [0, 0]);
    a.grad.set([3, -4]);
    expect(clipGradNorm([a], 100, Number.POSITIVE_INFINITY)).toBe(4);
    expect(clipGradNorm([a], 100, 1)).toBe(7);
  });

  it('brings any gradient within the limit, keeping its direction (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        (values, maxNorm) => {
          const parameter = makeParameter(
            'p',
            [values.length],
            values.map(() => 0),
          );
          parameter.grad.set(values);
          const before = Math.hypot(...values);
          expect(clipGradNorm([parameter], maxNorm)).toBeCloseTo(before, 8);
          const after = Math.hypot(...parameter.grad);
          expect(after).toBeLessThanOrEqual(Math.max(maxNorm, before) * (1 + 1e-12));
          if (before > maxNorm)
            values.forEach((value, index) => expect(parameter.grad[index] * before).toBeCloseTo(value * after, 6));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('clipGradNorm with a NaN or infinite gradient (PyTorch 1.13 fixtures)', () => {
  for (const fixture of torchFixtures.clipGradNorm) {
    it(`scales by the non-finite norm as clip_grad_norm_ does: ${fixture.name}`, () => {
      const parameters = fixture.gradients.map((values, index) => {
        const parameter = makeParameter(
          `p${index}`,
          [values.length],
          values.map(() => 0),
        );
        parameter.grad.set(values.map(fixtureNumber));
        return parameter;
      });
      const norm = clipGradNorm(parameters, fixture.maxNorm, fixtureNumber(fixture.normType));
      expect(Object.is(norm, fixtureNumber(fixture.norm))).toBe(true);
      // Exactly, signs of zero included (Object.is; any NaN equals NaN): the same multiplication by the same coefficient.
      parameters.forEach((parameter, index) => {
        expect([...parameter.grad]).toEqual(fixture.clipped[index].map(fixtureNumber));
        parameter.grad.forEach((value, i) =>
          expect(Object.is(value, fixtureNumber(fixture.clipped[index][i]))).toBe(true),
        );
      });
    });
  }

  it('throws INVALID_STATE with errorIfNonfinite: true and leaves the gradients as they were', () => {
    const parameter = makeParameter('p', [3], [0, 0, 0]);
    parameter.grad.set([1, Number.NaN, -2]);
    expect(() => clipGradNorm([parameter], 1, 2, { errorIfNonfinite: true })).toThrow(/total gradient norm is NaN/);
    expect([...parameter.grad]).toEqual([1, Number.NaN, -2]);
  });
});

describe('clipGradValue', () => {
  it('clamps each element to [−c, c]', () => {
    const a = makeParameter('a', [4], [0, 0, 0, 0]);
    a.grad.set([-3, -0.5, 0.5, 3]);
    clipGradValue([a], 1);
    expect([...a.grad]).toEqual([-1, -0.5, 0.5, 1]);
  });
});

describe('GradientAccumulator', () => {
  it('hands the optimizer the mean of k micro-batch gradients on every k-th call', () => {
    // Micro-batch gradients 1, 2, 6: mean 3; SGD with rate 1 moves θ from 0 to −3.
    const parameter = makeParameter('w', [1], [0]);
    const accumulator = new GradientAccumulator({ steps: 3 });
    const sgd = new SGD({ learningRate: 1 });
    const released: boolean[] = [];
    for (const gradient of [1, 2, 6]) {
      parameter.grad[0] = gradient; // a layer's backward overwrites grad
      const ready = accumulator.accumulate([parameter]);
      released.push(ready);
      if (ready) sgd.step([parameter]);
    }
    expect(released).toEqual([false, false, true]);
    expect(parameter.grad[0]).toBe(3);
    expect(parameter.value[0]).toBe(-3);
    expect(accumulator.count).toBe(0);
  });

  it('sums instead with average: false, and starts each cycle afresh', () => {
    const parameter = makeParameter('w', [2], [0, 0]);
    const accumulator = new GradientAccumulator({ steps: 2, average: false });
    for (const gradient of [
      [1, 2],
      [3, 4],
    ]) {
      parameter.grad.set(gradient);
      accumulator.accumulate([parameter]);
    }
    expect([...parameter.grad]).toEqual([4, 6]);
    for (const gradient of [
      [10, 10],
      [1, 1],
    ]) {
      parameter.grad.set(gradient);
      accumulator.accumulate([parameter]);
    }
    expect([...parameter.grad]).toEqual([11, 11]);
  });

  it('drops a partial cycle on reset', () => {
    const parameter = makeParameter('w', [1], [0]);
    const accumulator = new GradientAccumulator({ steps: 2 });
    parameter.grad[0] = 100;
    accumulator.accumulate([parameter]);
    accumulator.reset();
    for (const gradient of [1, 3]) {
      parameter.grad[0] = gradient;
      accumulator.accumulate([parameter]);
    }
    expect(parameter.grad[0]).toBe(2);
  });

  it('equals the mean computed directly (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (k, gradients) => {
          const parameter = makeParameter('w', [1], [0]);
          const accumulator = new GradientAccumulator({ steps: k });
          for (let i = 0; i < k; i++) {
            parameter.grad[0] = gradients[i];
            accumulator.accumulate([parameter]);
          }
          const expected = gradients.slice(0, k).reduce((sum, value) => sum + value, 0) / k;
          expect(parameter.grad[0]).toBeCloseTo(expected, 12);
        },
      ),
      { numRuns: 100 },
    );
  });
});
