import fc from 'fast-check';
import { AnnetError, createRng, tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { BatchNorm } from './batch-norm.js';
import { LayerNorm } from './layer-norm.js';

function randomizeParameters(layer: BatchNorm | LayerNorm, seed: number): void {
  const rng = createRng(seed);
  for (const parameter of layer.parameters())
    for (let i = 0; i < parameter.value.length; i++) parameter.value[i] = rng.normal(0.5, 1);
}

// With two values per channel (or row) the normalized output is ±1 whatever the input, so the
// gradient is nearly zero and the check says little: the property tests start at three values.
describe('BatchNorm', () => {
  // Channel 0 holds 1, 2, 3, 6: μ = 3, biased σ² = (4 + 1 + 0 + 9)/4 = 3.5, unbiased 14/3.
  // Channel 1 holds 0, 0, 0, 4: μ = 1, biased σ² = (1 + 1 + 1 + 9)/4 = 3, unbiased 4.
  const input = tensor(
    [
      [[[1, 2]], [[0, 0]]],
      [[[3, 6]], [[0, 4]]],
    ],
    { dtype: 'float64' },
  ); // [N=2, C=2, H=1, W=2]

  it('normalizes with batch statistics and updates the running statistics like PyTorch', () => {
    const norm = new BatchNorm(2, { dtype: 'float64' });
    const output = norm.forward(input, { training: true });
    const deviation0 = Math.sqrt(3.5 + 1e-5);
    const deviation1 = Math.sqrt(3 + 1e-5);
    const expected = [
      [[[-2 / deviation0, -1 / deviation0]], [[-1 / deviation1, -1 / deviation1]]],
      [[[0, 3 / deviation0]], [[-1 / deviation1, 3 / deviation1]]],
    ];
    const actual = output.toArray() as number[][][][];
    expected.flat(3).forEach((value, index) => expect(actual.flat(3)[index]).toBeCloseTo(value, 14));
    // running ← 0.9·running + 0.1·batch: means 0.3 and 0.1; variances 0.9 + 0.1·14/3 and 0.9 + 0.1·4.
    expect(norm.runningMean.data[0]).toBeCloseTo(0.3, 15);
    expect(norm.runningMean.data[1]).toBeCloseTo(0.1, 15);
    expect(norm.runningVariance.data[0]).toBeCloseTo(0.9 + 1.4 / 3, 15);
    expect(norm.runningVariance.data[1]).toBeCloseTo(1.3, 15);
  });

  it('uses the running statistics at inference and leaves them alone', () => {
    const norm = new BatchNorm(2, { dtype: 'float64' });
    norm.forward(input, { training: true });
    const output = norm.forward(input, { training: false });
    expect(output.get(0, 0, 0, 0)).toBeCloseTo((1 - 0.3) / Math.sqrt(0.9 + 1.4 / 3 + 1e-5), 14);
    expect(output.get(1, 1, 0, 1)).toBeCloseTo((4 - 0.1) / Math.sqrt(1.3 + 1e-5), 14);
    expect(norm.runningMean.data[0]).toBeCloseTo(0.3, 15);
  });

  it('works on [N, C] features with γ and β applied', () => {
    const norm = new BatchNorm(1, { dtype: 'float64' });
    norm.gamma.data[0] = 2;
    norm.beta.data[0] = -1;
    const output = norm.forward(tensor([[1], [3]], { dtype: 'float64' }), { training: true });
    // μ = 2, σ² = 1: x̂ = [−1, 1] (up to ε), y = 2x̂ − 1 = [−3, 1].
    expect(output.data[0]).toBeCloseTo(-3, 4);
    expect(output.data[1]).toBeCloseTo(1, 4);
  });

  for (const training of [true, false]) {
    it(`backward matches central differences (${training ? 'training' : 'inference'}) over random shapes and seeds`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 3, max: 4 }),
          fc.integer({ min: 1, max: 3 }),
          fc.boolean(),
          fc.integer({ min: 0, max: 1e6 }),
          (batchSize, channels, spatial, seed) => {
            const norm = new BatchNorm(channels, { dtype: 'float64' });
            randomizeParameters(norm, seed + 1);
            norm.runningVariance.data.fill(1.7);
            const shape = spatial ? [batchSize, channels, 2, 3] : [batchSize, channels];
            expectGradientsToMatch(checkLayerGradients(norm, randomInput(shape, seed), { training, seed }));
          },
        ),
        { numRuns: 8 },
      );
    });
  }

  it('names its parameters and buffers after the layer', () => {
    const norm = new BatchNorm(3);
    norm.rename('batch_norm_2');
    expect(norm.parameters().map((parameter) => parameter.name)).toEqual(['batch_norm_2.gamma', 'batch_norm_2.beta']);
    expect(norm.buffers().map((buffer) => buffer.name)).toEqual([
      'batch_norm_2.runningMean',
      'batch_norm_2.runningVariance',
    ]);
  });

  it('rejects the wrong channel count and a single value per channel while training', () => {
    expect(() => new BatchNorm(3).forward(tensor([[1, 2]]))).toThrow(
      'BatchNorm "batch_norm": expected input [N,3] or [N,3,H,W], got [1,2]',
    );
    expect(() => new BatchNorm(2).forward(tensor([[1, 2]]), { training: true })).toThrow(AnnetError);
    expect(() => new BatchNorm(2, { momentum: 2 })).toThrow(AnnetError);
  });
});

describe('LayerNorm', () => {
  it('normalizes every row over its features', () => {
    // Row [1, 2, 3, 6]: μ = 3, σ² = 3.5 → x̂ = [−2, −1, 0, 3]/√3.5.
    const output = new LayerNorm(4, { dtype: 'float64', epsilon: 1e-12 }).forward(
      tensor([[1, 2, 3, 6]], { dtype: 'float64' }),
    );
    [-2, -1, 0, 3].forEach((value, index) => expect(output.data[index]).toBeCloseTo(value / Math.sqrt(3.5), 12));
  });

  it('backward matches central differences over random shapes and seeds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 2 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (lead, features, seed) => {
          const norm = new LayerNorm(features, { dtype: 'float64' });
          randomizeParameters(norm, seed + 1);
          expectGradientsToMatch(checkLayerGradients(norm, randomInput([...lead, features], seed), { seed }));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('normalizes over several trailing axes', () => {
    const norm = new LayerNorm([2, 3], { dtype: 'float64' });
    randomizeParameters(norm, 3);
    expectGradientsToMatch(checkLayerGradients(norm, randomInput([2, 2, 3], 4)));
    expect(() => norm.forward(randomInput([2, 3, 2], 1))).toThrow(
      'LayerNorm "layer_norm": expected input [...,2,3], got [2,3,2]',
    );
  });
});
