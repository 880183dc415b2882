import fc from 'fast-check';
import { AnnetError, zeros } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { Flatten } from './flatten.js';
import { Reshape } from './reshape.js';

describe('Flatten', () => {
  it('flattens all but the batch axis, as a view', () => {
    const input = zeros([32, 1, 28, 28]);
    const output = new Flatten().forward(input);
    expect(output.shape).toEqual([32, 784]);
    expect(output.data).toBe(input.data);
    expect(new Flatten().outputShape([-1, 3, 4])).toEqual([-1, 12]);
  });

  it('backward reshapes the gradient to the input shape and matches central differences', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, seed) => {
          const flatten = new Flatten();
          expectGradientsToMatch(checkLayerGradients(flatten, randomInput(shape, seed), { seed }));
          expect(flatten.backward(randomInput(flatten.outputShape(shape), seed)).shape).toEqual(shape);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('returns the same view objects for the same tensors', () => {
    const flatten = new Flatten();
    const input = randomInput([2, 3, 4], 1);
    const output = flatten.forward(input);
    const gradient = randomInput([2, 12], 2);
    const inputGradient = flatten.backward(gradient);
    expect(flatten.forward(input)).toBe(output);
    expect(flatten.backward(gradient)).toBe(inputGradient);
  });
});

describe('Reshape', () => {
  it('reshapes every sample and infers −1', () => {
    expect(new Reshape([1, 28, 28]).forward(zeros([32, 784])).shape).toEqual([32, 1, 28, 28]);
    expect(new Reshape([4, -1]).outputShape([-1, 12])).toEqual([-1, 4, 3]);
  });

  it('backward matches central differences', () => {
    expectGradientsToMatch(checkLayerGradients(new Reshape([3, 2, 2]), randomInput([2, 12], 4)));
  });

  it('rejects samples that do not fit and bad target shapes', () => {
    expect(() => new Reshape([5], { name: 'r' }).forward(zeros([2, 6]))).toThrow(
      'Reshape "r": cannot reshape samples of input [2,6] into [5]',
    );
    expect(() => new Reshape([-1, -1])).toThrow(AnnetError);
    expect(() => new Reshape([2.5])).toThrow(AnnetError);
  });
});
