import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLossGradient, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { binaryCrossEntropy, type BinaryCrossEntropyOptions } from './binary-cross-entropy.js';

const float64 = { dtype: 'float64' } as const;

describe('binaryCrossEntropy weights and smoothing', () => {
  it('multiplies the positive term by positiveWeight (hand-derived)', () => {
    // x = 0 (σ = ½), P = 3. Target 1: ℓ = −3·log ½ = 3 log 2, dℓ/dx = ½·(1 − 1 + 3) − 3 = −1.5.
    // Target 0: ℓ = −log ½ = log 2, dℓ/dx = ½·(1 − 0 + 0) − 0 = 0.5.
    const result = binaryCrossEntropy(tensor([[0, 0]], float64), tensor([[1, 0]], float64), {
      positiveWeight: 3,
      reduction: 'none',
    });
    expect(result.losses!.data[0]).toBeCloseTo(3 * Math.LN2, 15);
    expect(result.losses!.data[1]).toBeCloseTo(Math.LN2, 15);
    expect(Array.from(result.gradient.data)).toEqual([-1.5, 0.5]);
  });

  it('smooths targets towards ½ and scales by the class weight (hand-derived)', () => {
    // ε = 0.2: t = 1 → 0.9. At x = 0: ℓ = −(0.9 + 0.1)·log ½ = log 2, dℓ/dx = ½ − 0.9 = −0.4.
    // weight [2] doubles both; 'mean' over one element divides by 1, not by the weight.
    const result = binaryCrossEntropy(tensor([[0]], float64), tensor([[1]], float64), {
      labelSmoothing: 0.2,
      weight: [2],
    });
    expect(result.loss).toBeCloseTo(2 * Math.LN2, 15);
    expect(result.gradient.data[0]).toBeCloseTo(-0.8, 15);
  });

  it('stays finite and exact for logits of ±1e4 with weights', () => {
    // x = 1e4, t = 0, P = 2: ℓ = (1 − 0)·1e4 + (0 + 1)·softplus(−1e4) = 1e4; dℓ/dx = σ(1e4)·1 − 0 = 1.
    // x = −1e4, t = 1, P = 2: ℓ = 0·(−1e4) + 2·softplus(1e4) = 2e4; dℓ/dx = 0·2 − 2 = −2.
    const result = binaryCrossEntropy(tensor([[1e4], [-1e4]], float64), tensor([[0], [1]], float64), {
      positiveWeight: [2],
      reduction: 'sum',
    });
    expect(result.loss).toBe(3e4);
    expect(Array.from(result.gradient.data)).toEqual([1, -2]);
  });

  const optionSets: Array<[string, BinaryCrossEntropyOptions]> = [
    ['positiveWeight', { positiveWeight: [3, 0.5, 1] }],
    ['weight', { weight: [0.2, 1, 4] }],
    ['both and smoothing 0.1', { positiveWeight: [3, 0.5, 1], weight: [0.2, 1, 4], labelSmoothing: 0.1 }],
  ];
  for (const [label, options] of optionSets) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`gradient matches central differences with ${label} (${reduction})`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (rows, seed) => {
            const logits = randomInput([rows, 3], seed, 3);
            const noise = randomInput([rows, 3], seed + 1);
            const targets = new Tensor(
              Float64Array.from(noise.data, (value) => (value > 0 ? 1 : 0)),
              [rows, 3],
            );
            expectGradientsToMatch([
              checkLossGradient((p, t) => binaryCrossEntropy(p, t, { ...options, reduction }), logits, targets),
            ]);
          }),
          { numRuns: 10 },
        );
      });
    }
  }

  it('leaves the plain loss unchanged by weights of 1 (up to rounding)', () => {
    const logits = randomInput([4, 3], 7, 3);
    const targets = new Tensor(
      Float64Array.from(randomInput([4, 3], 8).data, (value) => 1 / (1 + Math.exp(-value))),
      [4, 3],
    );
    const plain = binaryCrossEntropy(logits, targets);
    const weighted = binaryCrossEntropy(logits, targets, { positiveWeight: 1, weight: [1, 1, 1] });
    expect(weighted.loss).toBeCloseTo(plain.loss, 14);
    weighted.gradient.data.forEach((value, index) => expect(value).toBeCloseTo(plain.gradient.data[index], 15));
  });

  it('rejects weights of the wrong length or sign and smoothing outside [0, 1]', () => {
    const logits = randomInput([2, 3], 1);
    const targets = new Tensor(new Float64Array(6), [2, 3]);
    expect(() => binaryCrossEntropy(logits, targets, { positiveWeight: [1, 2] })).toThrow(
      'binaryCrossEntropy: expected positiveWeight to hold 3 numbers (one per class on the last axis), got 2',
    );
    expect(() => binaryCrossEntropy(logits, targets, { weight: tensor([[1, 1, 1]]) })).toThrow(
      'binaryCrossEntropy: expected weight of shape [3] (one per class on the last axis), got a tensor of shape [1,3]',
    );
    expect(() => binaryCrossEntropy(logits, targets, { positiveWeight: -1 })).toThrow(
      'binaryCrossEntropy: positiveWeight[0] must be a finite number ≥ 0, got -1',
    );
    expect(() => binaryCrossEntropy(logits, targets, { weight: [1, Number.NaN, 1] })).toThrow(
      'binaryCrossEntropy: weight[1] must be a finite number ≥ 0, got NaN',
    );
    expect(() => binaryCrossEntropy(logits, targets, { labelSmoothing: 1.5 })).toThrow(
      'binaryCrossEntropy: labelSmoothing must be a number in [0, 1], got 1.5',
    );
    expect(() => binaryCrossEntropy(logits, targets, { positiveWeight: 2, reduction: 'avg' as 'mean' })).toThrow(
      AnnetError,
    );
  });

  it("refuses a weighted 'mean' over an empty batch", () => {
    const empty = new Tensor(new Float64Array(0), [0, 3]);
    expect(() => binaryCrossEntropy(empty, empty, { positiveWeight: [1, 2, 3] })).toThrow(
      "binaryCrossEntropy: reduction 'mean' divides by the number of elements, which is 0",
    );
  });
});
