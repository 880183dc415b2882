import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLossGradient, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { lossFromName, losses } from './loss-registry.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

describe('softmaxCrossEntropy', () => {
  it('matches hand-derived values with integer labels', () => {
    // Equal logits: p = [1/3, 1/3, 1/3]; label 2 → ℓ = log 3, gradient p − onehot = [1/3, 1/3, −2/3].
    const uniform = softmaxCrossEntropy(tensor([[0, 0, 0]], { dtype: 'float64' }), tensor([2], { dtype: 'int32' }));
    expect(uniform.loss).toBeCloseTo(Math.log(3), 15);
    [1 / 3, 1 / 3, -2 / 3].forEach((value, index) => expect(uniform.gradient.data[index]).toBeCloseTo(value, 15));
    // z = [1, 2, 3], label 0: logΣe^z = 3 + log(e^−2 + e^−1 + 1) = 3 + log 1.5032147244080550 = 3.4076059644443806,
    // ℓ = 3.4076059644443806 − 1 = 2.4076059644443806; p = e^(z − 3.4076…) = [0.0900306, 0.2447285, 0.6652410].
    const ordered = softmaxCrossEntropy(tensor([[1, 2, 3]], { dtype: 'float64' }), tensor([0], { dtype: 'int32' }));
    expect(ordered.loss).toBeCloseTo(2.4076059644443806, 14);
    [0.09003057317038046 - 1, 0.24472847105479764, 0.6652409557748219].forEach((value, index) => expect(ordered.gradient.data[index]).toBeCloseTo(value, 14));
  });

  it('averages over rows with mean and adds with sum', () => {
    const logits = tensor([[0, 0], [0, 0]], { dtype: 'float64' });
    const labels = tensor([0, 1], { dtype: 'int32' });
    expect(softmaxCrossEntropy(logits, labels).loss).toBeCloseTo(Math.LN2, 15);
    expect(softmaxCrossEntropy(logits, labels, { reduction: 'sum' }).loss).toBeCloseTo(2 * Math.LN2, 15);
    expect(softmaxCrossEntropy(logits, labels).gradient.data[0]).toBeCloseTo(-0.25, 15);
  });

  it('gives the same result for labels and their one-hot encoding', () => {
    const logits = randomInput([5, 4], 3);
    const labels = tensor([3, 0, 1, 1, 2], { dtype: 'int32' });
    const oneHot = new Tensor(new Float64Array(20), [5, 4]);
    labels.data.forEach((label, row) => oneHot.set(1, row, label));
    const fromLabels = softmaxCrossEntropy(logits, labels);
    const fromOneHot = softmaxCrossEntropy(logits, oneHot);
    expect(fromOneHot.loss).toBeCloseTo(fromLabels.loss, 14);
    fromLabels.gradient.data.forEach((value, index) => expect(fromOneHot.gradient.data[index]).toBeCloseTo(value, 15));
  });

  it('stays exact for logits of ±1e4, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const logits = tensor([[1e4, -1e4, 0], [1e4, -1e4, 0]], { dtype });
      const result = softmaxCrossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { reduction: 'sum' });
      // Row 0: p = [1, 0, 0] to machine precision, ℓ = 0. Row 1: ℓ = logΣe^z − z₁ = 1e4 + 1e4 = 2e4.
      expect(result.loss).toBe(2e4);
      expect(Array.from(result.gradient.data)).toEqual([0, 0, 0, 1, -1, 0]);
    }
  });

  for (const kind of ['labels', 'probabilities'] as const) {
    for (const reduction of ['mean', 'sum'] as const) {
      it(`gradient matches central differences (${kind}, ${reduction}) over random shapes and seeds`, () => {
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 2 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (lead, classes, seed) => {
            const logits = randomInput([...lead, classes], seed, 3);
            const rows = logits.size / classes;
            let targets: Tensor;
            if (kind === 'labels') {
              targets = new Tensor(Int32Array.from({ length: rows }, (_, row) => (row * 7 + seed) % classes), lead);
            } else {
              const weights = randomInput([...lead, classes], seed + 1);
              targets = new Tensor(Float64Array.from(weights.data, (value) => Math.exp(value)), weights.shape);
            }
            expectGradientsToMatch([checkLossGradient((p, t) => softmaxCrossEntropy(p, t, { reduction }), logits, targets)]);
          }),
          { numRuns: 10 },
        );
      });
    }
  }

  it('rejects labels out of range and targets of the wrong shape', () => {
    expect(() => softmaxCrossEntropy(tensor([[0, 0]]), tensor([2], { dtype: 'int32' }))).toThrow('softmaxCrossEntropy: label 2 at row 0 is not a class index in [0, 2)');
    expect(() => softmaxCrossEntropy(tensor([[0, 0]]), tensor([[1, 0, 0]]))).toThrow(AnnetError);
  });
});

describe('loss registry', () => {
  it('maps names to the loss functions', () => {
    expect(lossFromName('softmaxCrossEntropy')).toBe(softmaxCrossEntropy);
    expect(Object.keys(losses)).toEqual(['meanSquaredError', 'meanAbsoluteError', 'huber', 'binaryCrossEntropy', 'softmaxCrossEntropy']);
    expect(() => lossFromName('crossEntropy')).toThrow('lossFromName: unknown loss "crossEntropy"; expected one of meanSquaredError, meanAbsoluteError, huber, binaryCrossEntropy, softmaxCrossEntropy');
  });
});
