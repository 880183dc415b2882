import fc from 'fast-check';
import { AnnetError, createRng, ones, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { Dropout } from './dropout.js';

describe('Dropout', () => {
  it('keeps element i when the i-th uniform draw of its seeded rng is below 1 − rate', () => {
    const dropout = new Dropout(0.3, { seed: 7 });
    const output = dropout.forward(ones([4, 25], 'float64'), { training: true });
    const reference = createRng(7);
    const expected = Array.from({ length: 100 }, () => (reference.uniform() < 0.7 ? 1 / 0.7 : 0));
    expect(Array.from(output.data)).toEqual(expected);
  });

  it('scales kept elements by exactly 1/(1 − rate) and drops about rate of them', () => {
    const dropout = new Dropout(0.25, { seed: 1 });
    const input = randomInput([100, 100], 3);
    const output = dropout.forward(input, { training: true });
    let dropped = 0;
    for (let index = 0; index < input.size; index++) {
      if (output.data[index] === 0) dropped++;
      else expect(output.data[index]).toBe(input.data[index] * (1 / 0.75));
    }
    // 10 000 Bernoulli(0.25) draws: standard deviation √(10 000·0.25·0.75) ≈ 43.
    expect(Math.abs(dropped - 2500)).toBeLessThan(4 * 43);
  });

  it('is the identity at inference and passes the gradient through', () => {
    const dropout = new Dropout(0.5);
    const input = randomInput([3, 4], 2);
    expect(dropout.forward(input)).toBe(input);
    expect(dropout.forward(input, { training: false })).toBe(input);
    const gradient = randomInput([3, 4], 3);
    expect(dropout.backward(gradient)).toBe(gradient);
  });

  it('backward multiplies by the same mask', () => {
    const dropout = new Dropout(0.5, { seed: 4 });
    const output = dropout.forward(ones([2, 8], 'float64'), { training: true });
    const mask = Array.from(output.data);
    const inputGradient = dropout.backward(new Tensor(new Float64Array(16).fill(3), [2, 8]));
    expect(Array.from(inputGradient.data)).toEqual(mask.map((factor) => 3 * factor));
  });

  it('backward matches central differences over random shapes and seeds (the mask held fixed through getState/setState)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 1e6 }),
        (shape, seed) => {
          const dropout = new Dropout(0.4, { seed, dtype: 'float64' });
          const errors = checkLayerGradients(dropout, randomInput(shape, seed), { seed });
          // With every element dropped the gradient is legitimately zero; only the error is checked then.
          if (errors[0].largestGradient === 0) expect(errors[0].relativeError).toBe(0);
          else expectGradientsToMatch(errors);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('resumes the same masks after getState/setState, and draws new masks every step', () => {
    const dropout = new Dropout(0.5, { seed: 2 });
    const input = ones([1, 32], 'float64');
    const saved = dropout.getState();
    const first = Array.from(dropout.forward(input, { training: true }).data);
    const second = Array.from(dropout.forward(input, { training: true }).data);
    expect(second).not.toEqual(first);
    const restored = new Dropout(0.5, { seed: 99 });
    restored.setState(JSON.parse(JSON.stringify(saved)));
    expect(Array.from(restored.forward(input, { training: true }).data)).toEqual(first);
  });

  it('initialize(rng) reseeds the masks from a model rng', () => {
    const a = new Dropout(0.5);
    const b = new Dropout(0.5, { seed: 123 });
    a.initialize(createRng(8));
    b.initialize(createRng(8));
    const input = ones([1, 16], 'float64');
    expect(Array.from(a.forward(input, { training: true }).data)).toEqual(
      Array.from(b.forward(input, { training: true }).data),
    );
  });

  it('reuses its buffers across steps', () => {
    const dropout = new Dropout(0.5);
    const input = randomInput([4, 4], 1);
    const output = dropout.forward(input, { training: true });
    const gradient = dropout.backward(output);
    expect(dropout.forward(input, { training: true })).toBe(output);
    expect(dropout.backward(output)).toBe(gradient);
  });

  it('rejects a rate outside [0, 1) and a malformed state', () => {
    expect(() => new Dropout(1)).toThrow('Dropout "dropout": rate must be in [0, 1), got 1');
    expect(() => new Dropout(-0.1)).toThrow(AnnetError);
    expect(() => new Dropout(0.5).setState({ rng: null })).toThrow(AnnetError);
    expect(() => new Dropout(0.5).backward(tensor([1]))).toThrow('backward was called before forward');
  });
});
