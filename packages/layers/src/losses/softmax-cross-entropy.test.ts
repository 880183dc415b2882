import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLossGradient, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { lossFromName, losses } from './loss-registry.js';
import { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './softmax-cross-entropy.js';

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
    [0.09003057317038046 - 1, 0.24472847105479764, 0.6652409557748219].forEach((value, index) =>
      expect(ordered.gradient.data[index]).toBeCloseTo(value, 14),
    );
  });

  it('averages over rows with mean and adds with sum', () => {
    const logits = tensor(
      [
        [0, 0],
        [0, 0],
      ],
      { dtype: 'float64' },
    );
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
      const logits = tensor(
        [
          [1e4, -1e4, 0],
          [1e4, -1e4, 0],
        ],
        { dtype },
      );
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
          fc.property(
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 2 }),
            fc.integer({ min: 2, max: 6 }),
            fc.integer({ min: 0, max: 1e6 }),
            (lead, classes, seed) => {
              const logits = randomInput([...lead, classes], seed, 3);
              const rows = logits.size / classes;
              let targets: Tensor;
              if (kind === 'labels') {
                targets = new Tensor(
                  Int32Array.from({ length: rows }, (_, row) => (row * 7 + seed) % classes),
                  lead,
                );
              } else {
                const weights = randomInput([...lead, classes], seed + 1);
                targets = new Tensor(
                  Float64Array.from(weights.data, (value) => Math.exp(value)),
                  weights.shape,
                );
              }
              expectGradientsToMatch([
                checkLossGradient((p, t) => softmaxCrossEntropy(p, t, { reduction }), logits, targets),
              ]);
            },
          ),
          { numRuns: 10 },
        );
      });
    }
  }

  it('rejects labels out of range and targets of the wrong shape', () => {
    expect(() => softmaxCrossEntropy(tensor([[0, 0]]), tensor([2], { dtype: 'int32' }))).toThrow(
      'softmaxCrossEntropy: label 2 at row 0 is not a class index in [0, 2)',
    );
    expect(() => softmaxCrossEntropy(tensor([[0, 0]]), tensor([[1, 0, 0]]))).toThrow(AnnetError);
  });
});

describe('softmaxCrossEntropy options (weight, labelSmoothing, ignoreIndex, mask, none)', () => {
  const float64 = { dtype: 'float64' } as const;

  it('weights each row by its target class and divides the mean by the weights (hand-derived)', () => {
    // Zero logits, C = 3: every −log p = log 3. Labels [0, 1], weight [1, 3, 1]:
    // ℓ = [log 3, 3 log 3], D = 1 + 3 = 4, mean = 4 log 3 / 4 = log 3.
    // Gradient row 1: w₁·(p − e₁)/D = 3·[1/3, −2/3, 1/3]/4 = [0.25, −0.5, 0.25].
    const logits = tensor(
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      float64,
    );
    const labels = tensor([0, 1], { dtype: 'int32' });
    const result = softmaxCrossEntropy(logits, labels, { weight: [1, 3, 1] });
    expect(result.loss).toBeCloseTo(Math.log(3), 15);
    [0.25, -0.5, 0.25].forEach((value, index) => expect(result.gradient.data[3 + index]).toBeCloseTo(value, 15));
    const none = softmaxCrossEntropy(logits, labels, { weight: [1, 3, 1], reduction: 'none' });
    expect(none.losses!.data[0]).toBeCloseTo(Math.log(3), 15);
    expect(none.losses!.data[1]).toBeCloseTo(3 * Math.log(3), 15);
  });

  it('smooths labels towards the uniform distribution (hand-derived)', () => {
    // Zero logits, C = 2, ε = 0.5, label 0: target q = [0.75, 0.25], ℓ = −(0.75 + 0.25)·log ½ = log 2,
    // gradient p − q = [0.5 − 0.75, 0.5 − 0.25] = [−0.25, 0.25].
    const result = softmaxCrossEntropy(tensor([[0, 0]], float64), tensor([0], { dtype: 'int32' }), {
      labelSmoothing: 0.5,
    });
    expect(result.loss).toBeCloseTo(Math.LN2, 15);
    expect(Array.from(result.gradient.data)).toEqual([-0.25, 0.25]);
  });

  it('leaves ignored positions out of the loss, the mean and the gradient, over [batch, time, classes]', () => {
    const logits = randomInput([2, 3, 4], 11, 2);
    const tags = tensor(
      [
        [1, -100, 3],
        [-100, -100, 0],
      ],
      { dtype: 'int32' },
    );
    const result = softmaxCrossEntropy(logits, tags, { ignoreIndex: -100, reduction: 'none' });
    expect(result.losses!.shape).toEqual([2, 3]);
    for (const position of [1, 3, 4]) {
      expect(result.losses!.data[position]).toBe(0);
      expect(Array.from(result.gradient.data.slice(position * 4, position * 4 + 4))).toEqual([0, 0, 0, 0]);
    }
    // The mean is the mean of the three kept positions alone, which also give the same gradient rows scaled by 1/3.
    const kept = new Tensor(
      Float64Array.from([0, 2, 5].flatMap((position) => Array.from(logits.data.slice(position * 4, position * 4 + 4)))),
      [3, 4],
    );
    const alone = softmaxCrossEntropy(kept, tensor([1, 3, 0], { dtype: 'int32' }));
    const mean = softmaxCrossEntropy(logits, tags, { ignoreIndex: -100 });
    expect(mean.loss).toBeCloseTo(alone.loss, 15);
    [0, 2, 5].forEach((position, row) => {
      for (let index = 0; index < 4; index++)
        expect(mean.gradient.data[position * 4 + index]).toBeCloseTo(alone.gradient.data[row * 4 + index], 15);
    });
  });

  it('gives the same result for a mask as for the ignore index, with labels and with probabilities', () => {
    const logits = randomInput([2, 3, 4], 12, 2);
    const tags = tensor(
      [
        [1, 0, 3],
        [0, 2, 0],
      ],
      { dtype: 'int32' },
    );
    const mask = tensor(
      [
        [1, 0, 1],
        [0, 1, 0],
      ],
      { dtype: 'int32' },
    );
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const ignored = softmaxCrossEntropy(logits, tags, {
        ignoreIndex: 0,
        reduction,
        weight: [1, 2, 3, 4],
        labelSmoothing: 0.1,
      });
      const masked = softmaxCrossEntropy(logits, tags, { mask, reduction, weight: [1, 2, 3, 4], labelSmoothing: 0.1 });
      expect(masked.loss).toBe(ignored.loss);
      expect(Array.from(masked.gradient.data)).toEqual(Array.from(ignored.gradient.data));
    }
    const oneHot = new Tensor(new Float64Array(24), [2, 3, 4]);
    tags.data.forEach((label, position) => (oneHot.data[position * 4 + label] = 1));
    const fromLabels = softmaxCrossEntropy(logits, tags, { mask });
    const fromProbabilities = softmaxCrossEntropy(logits, oneHot, { mask });
    expect(fromProbabilities.loss).toBeCloseTo(fromLabels.loss, 15);
    fromLabels.gradient.data.forEach((value, index) =>
      expect(fromProbabilities.gradient.data[index]).toBeCloseTo(value, 15),
    );
  });

  it("returns per-position losses with 'none' that sum to the 'sum' loss, with the same gradient", () => {
    const logits = randomInput([5, 3], 13, 2);
    const labels = tensor([2, 0, 1, 1, 0], { dtype: 'int32' });
    const none = softmaxCrossEntropy(logits, labels, { reduction: 'none', weight: [2, 1, 0.5] });
    const sum = softmaxCrossEntropy(logits, labels, { reduction: 'sum', weight: [2, 1, 0.5] });
    expect(none.losses!.shape).toEqual([5]);
    expect(none.losses!.dtype).toBe('float64');
    expect(none.loss).toBe(sum.loss);
    expect(Array.from(none.gradient.data)).toEqual(Array.from(sum.gradient.data));
  });

  const optionSets: Array<[string, SoftmaxCrossEntropyOptions]> = [
    ['class weights', { weight: [0.5, 2, 1, 3] }],
    ['label smoothing 0.2', { labelSmoothing: 0.2 }],
    ['ignoreIndex 0', { ignoreIndex: 0 }],
    ['weights, smoothing and ignoreIndex', { weight: [0.5, 2, 1, 3], labelSmoothing: 0.3, ignoreIndex: 0 }],
  ];
  for (const [label, options] of optionSets) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      it(`gradient matches central differences over [batch, time, classes] with ${label} (${reduction})`, () => {
        fc.assert(
          fc.property(
            fc.integer({ min: 1, max: 3 }),
            fc.integer({ min: 1, max: 4 }),
            fc.integer({ min: 0, max: 1e6 }),
            (batch, time, seed) => {
              const logits = randomInput([batch, time, 4], seed, 3);
              // Position 0 always has class 1, so at least one position counts when 0 is ignored.
              const labels = new Tensor(
                Int32Array.from({ length: batch * time }, (_, position) =>
                  position === 0 ? 1 : (position * 5 + seed) % 4,
                ),
                [batch, time],
              );
              expectGradientsToMatch([
                checkLossGradient((p, t) => softmaxCrossEntropy(p, t, { ...options, reduction }), logits, labels),
              ]);
            },
          ),
          { numRuns: 10 },
        );
      });
    }
  }

  it('gradient matches central differences for probabilities with weights, smoothing and a mask', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (rows, seed) => {
        const logits = randomInput([rows, 3], seed, 3);
        const targets = new Tensor(
          Float64Array.from(randomInput([rows, 3], seed + 1).data, (value) => Math.exp(value)),
          [rows, 3],
        );
        const mask = new Tensor(
          Int32Array.from({ length: rows }, (_, row) => (row % 2 === 0 ? 1 : 0)),
          [rows],
        );
        const options: SoftmaxCrossEntropyOptions = { weight: [3, 1, 0.5], labelSmoothing: 0.2, mask };
        expectGradientsToMatch([checkLossGradient((p, t) => softmaxCrossEntropy(p, t, options), logits, targets)]);
      }),
      { numRuns: 10 },
    );
  });

  it("refuses a 'mean' over an empty batch, over only ignored positions, and over weights that sum to 0", () => {
    const empty = new Tensor(new Float64Array(0), [0, 3]);
    expect(() => softmaxCrossEntropy(empty, new Tensor(new Int32Array(0), [0]))).toThrow(
      "softmaxCrossEntropy: reduction 'mean' divides by the number of positions not ignored or masked, which is 0",
    );
    expect(softmaxCrossEntropy(empty, new Tensor(new Int32Array(0), [0]), { reduction: 'sum' }).loss).toBe(0);
    const logits = randomInput([2, 3], 1);
    expect(() => softmaxCrossEntropy(logits, tensor([-100, -100], { dtype: 'int32' }), { ignoreIndex: -100 })).toThrow(
      'which is 0; pass a batch with at least one counted sample',
    );
    expect(() => softmaxCrossEntropy(logits, tensor([1, 1], { dtype: 'int32' }), { weight: [1, 0, 1] })).toThrow(
      "softmaxCrossEntropy: reduction 'mean' divides by the sum of the class weights of the positions not ignored or masked, which is 0",
    );
    expect(() =>
      softmaxCrossEntropy(logits, randomInput([2, 3], 2), { mask: tensor([0, 0], { dtype: 'int32' }) }),
    ).toThrow(AnnetError);
  });

  it('rejects bad options with messages that name them', () => {
    const logits = randomInput([2, 3], 1);
    const labels = tensor([0, 2], { dtype: 'int32' });
    expect(() => softmaxCrossEntropy(logits, labels, { weight: [1, 2] })).toThrow(
      'softmaxCrossEntropy: expected weight to hold 3 numbers (one per class on the last axis), got 2',
    );
    expect(() => softmaxCrossEntropy(logits, labels, { weight: [1, -2, 1] })).toThrow(
      'softmaxCrossEntropy: weight[1] must be a finite number ≥ 0, got -2',
    );
    expect(() => softmaxCrossEntropy(logits, labels, { labelSmoothing: -0.1 })).toThrow(
      'softmaxCrossEntropy: labelSmoothing must be a number in [0, 1], got -0.1',
    );
    expect(() => softmaxCrossEntropy(logits, labels, { ignoreIndex: 0.5 })).toThrow(
      'softmaxCrossEntropy: ignoreIndex must be an integer (such as -100), got 0.5',
    );
    expect(() => softmaxCrossEntropy(logits, labels, { mask: tensor([1, 1, 1], { dtype: 'int32' }) })).toThrow(
      'softmaxCrossEntropy: expected a mask of shape [2] (the logits without the class axis), got [3]',
    );
    expect(() => softmaxCrossEntropy(logits, labels, { mask: tensor([1, 0.5]) })).toThrow(
      'softmaxCrossEntropy: mask values must be 0 or 1, got 0.5 at position 1',
    );
    expect(() => softmaxCrossEntropy(logits, randomInput([2, 3], 2), { ignoreIndex: -100 })).toThrow(
      'softmaxCrossEntropy: ignoreIndex applies to class labels, but the targets are probabilities [2,3]; pass a mask instead',
    );
    expect(() => softmaxCrossEntropy(logits, tensor([0, -1], { dtype: 'int32' }), { ignoreIndex: -100 })).toThrow(
      'softmaxCrossEntropy: label -1 at row 1 is not a class index in [0, 3) or the ignoreIndex -100',
    );
    expect(() =>
      softmaxCrossEntropy(new Tensor(new Float64Array(0), [2, 0]), tensor([0, 0], { dtype: 'int32' })),
    ).toThrow('softmaxCrossEntropy: expected logits [..., C] with at least one class on the last axis, got [2,0]');
  });

  it('writes nothing into out when it refuses the call', () => {
    const out = new Tensor(new Float64Array(6).fill(7), [2, 3]);
    expect(() => softmaxCrossEntropy(randomInput([2, 3], 1), tensor([0, 5], { dtype: 'int32' }), { out })).toThrow(
      AnnetError,
    );
    expect(Array.from(out.data)).toEqual([7, 7, 7, 7, 7, 7]);
  });
});

describe('loss registry', () => {
  it('maps names to the loss functions', () => {
    expect(lossFromName('softmaxCrossEntropy')).toBe(softmaxCrossEntropy);
    expect(Object.keys(losses)).toEqual([
      'meanSquaredError',
      'meanAbsoluteError',
      'huber',
      'binaryCrossEntropy',
      'softmaxCrossEntropy',
    ]);
    expect(() => lossFromName('crossEntropy')).toThrow(
      'lossFromName: unknown loss "crossEntropy"; expected one of meanSquaredError, meanAbsoluteError, huber, binaryCrossEntropy, softmaxCrossEntropy',
    );
  });
});
