import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { awayFromKinks, checkLossGradient, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import { huber } from './huber.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import { meanSquaredError } from './mean-squared-error.js';

const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 });

function uniformTargets(shape: readonly number[], seed: number): Tensor<'float64'> {
  const noise = randomInput(shape, seed + 1);
  return new Tensor(
    Float64Array.from(noise.data, (value) => 1 / (1 + Math.exp(-value))),
    shape,
  );
}

const elementwiseLosses = { meanSquaredError, meanAbsoluteError, huber, binaryCrossEntropy };

describe('elementwise losses', () => {
  for (const [name, loss] of Object.entries(elementwiseLosses)) {
    for (const reduction of ['mean', 'sum'] as const) {
      it(`${name} (${reduction}): gradient matches central differences over random shapes and seeds`, () => {
        fc.assert(
          fc.property(shapes, fc.integer({ min: 0, max: 1e6 }), (shape, seed) => {
            const predictions = randomInput(shape, seed, 2);
            const targets =
              name === 'binaryCrossEntropy' ? uniformTargets(shape, seed) : randomInput(shape, seed + 1, 2);
            // Keep p − t away from the kinks of |d| (0) and Huber (±δ = ±1).
            const differences = Float64Array.from(predictions.data, (value, index) => value - targets.data[index]);
            awayFromKinks(differences, [0, -1, 1]);
            differences.forEach((difference, index) => (predictions.data[index] = targets.data[index] + difference));
            expectGradientsToMatch([checkLossGradient((p, t) => loss(p, t, { reduction }), predictions, targets)]);
          }),
          { numRuns: 10 },
        );
      });
    }
  }

  it('meanSquaredError, meanAbsoluteError and huber match hand-derived values', () => {
    // d = p − t = [1, −2, 0.5]
    const p = tensor([[1, 0, 0.5]], { dtype: 'float64' });
    const t = tensor([[0, 2, 0]], { dtype: 'float64' });
    // MSE = (1 + 4 + 0.25)/3 = 1.75; gradient 2d/3 = [2/3, −4/3, 1/3].
    const mse = meanSquaredError(p, t);
    expect(mse.loss).toBeCloseTo(1.75, 15);
    expect(Array.from(mse.gradient.data)).toEqual([2 / 3, -4 / 3, 1 / 3]);
    // MAE = (1 + 2 + 0.5)/3 = 7/6; gradient sign(d)/3.
    const mae = meanAbsoluteError(p, t);
    expect(mae.loss).toBeCloseTo(7 / 6, 15);
    expect(Array.from(mae.gradient.data)).toEqual([1 / 3, -1 / 3, 1 / 3]);
    // Huber δ = 1, sum: ½·1² + 1·(2 − ½) + ½·0.25 = 0.5 + 1.5 + 0.125 = 2.125; gradient [1, −1, 0.5].
    const loss = huber(p, t, { reduction: 'sum' });
    expect(loss.loss).toBeCloseTo(2.125, 15);
    expect(Array.from(loss.gradient.data)).toEqual([1, -1, 0.5]);
  });

  it('binaryCrossEntropy matches hand-derived values and stays finite for logits of ±1e4', () => {
    // x = 0, t = 1: ℓ = log 2, dℓ/dx = σ(0) − 1 = −0.5.
    const half = binaryCrossEntropy(tensor([[0]], { dtype: 'float64' }), tensor([[1]], { dtype: 'float64' }));
    expect(half.loss).toBeCloseTo(Math.LN2, 15);
    expect(half.gradient.data[0]).toBe(-0.5);
    // x = 1e4, t = 0: ℓ = 1e4 (max(x, 0) − 0 + log(1 + e^−1e4)); x = −1e4, t = 0: ℓ = 0.
    const extreme = binaryCrossEntropy(
      tensor([[1e4, -1e4]], { dtype: 'float64' }),
      tensor([[0, 0]], { dtype: 'float64' }),
      { reduction: 'sum' },
    );
    expect(extreme.loss).toBe(1e4);
    expect(Array.from(extreme.gradient.data)).toEqual([1, 0]);
  });

  it('writes the gradient into out when given, and checks it', () => {
    const p = randomInput([3, 2], 1);
    const out = new Tensor(new Float64Array(6), [3, 2]);
    expect(meanSquaredError(p, randomInput([3, 2], 2), { out }).gradient).toBe(out);
    expect(() => meanSquaredError(p, randomInput([3, 2], 2), { out: new Tensor(new Float64Array(5), [5]) })).toThrow(
      AnnetError,
    );
  });

  for (const [name, loss] of Object.entries(elementwiseLosses)) {
    it(`${name} with reduction 'none' returns each element's loss, summing to the 'sum' loss, with the same gradient`, () => {
      const predictions = randomInput([3, 4], 5, 2);
      const targets = name === 'binaryCrossEntropy' ? uniformTargets([3, 4], 5) : randomInput([3, 4], 6, 2);
      const none = loss(predictions, targets, { reduction: 'none' });
      const sum = loss(predictions, targets, { reduction: 'sum' });
      expect(none.losses?.shape).toEqual([3, 4]);
      expect(none.loss).toBe(sum.loss);
      expect(Array.from(none.gradient.data)).toEqual(Array.from(sum.gradient.data));
      // Each element's loss is the loss of that element alone.
      for (const index of [0, 5, 11]) {
        const single = loss(
          new Tensor(Float64Array.of(predictions.data[index]), [1]),
          new Tensor(Float64Array.of(targets.data[index]), [1]),
          { reduction: 'sum' },
        );
        expect(none.losses!.data[index]).toBe(single.loss);
      }
      expect(sum.losses).toBeUndefined();
    });

    it(`${name}: a 'mean' over an empty batch is an error, a 'sum' is 0`, () => {
      const empty = new Tensor(new Float64Array(0), [0, 3]);
      expect(() => loss(empty, empty)).toThrow(
        `${name}: reduction 'mean' divides by the number of elements, which is 0`,
      );
      expect(() => loss(empty, empty)).toThrow(AnnetError);
      expect(loss(empty, empty, { reduction: 'sum' }).loss).toBe(0);
      expect(loss(empty, empty, { reduction: 'none' }).losses?.shape).toEqual([0, 3]);
    });
  }

  it('rejects targets of another shape and unknown reductions', () => {
    expect(() => meanSquaredError(randomInput([2, 3], 1), randomInput([2, 1], 2))).toThrow(
      'meanSquaredError: expected targets shaped like the predictions [2,3], got [2,1]',
    );
    expect(() => huber(randomInput([2], 1), randomInput([2], 1), { reduction: 'max' as 'mean' })).toThrow(
      "huber: reduction must be 'mean', 'sum' or 'none', got \"max\"",
    );
  });
});
