import fc from 'fast-check';
import { AnnetError, createRng, randomNormal, sum, tensor, Tensor, transpose } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { initializers } from '../initializers/initializers.js';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { differentiateActivation } from './dense-activation.js';
import { Dense } from './dense.js';

describe('Dense', () => {
  it('matches hand-derived forward and backward values', () => {
    // x = [1, 2], W = [[1, 0, −1], [2, 1, 0]], b = [0.5, −1, 2]:
    //   y = xW + b = [1 + 4, 0 + 2, −1 + 0] + b = [5.5, 1, 1].
    // dy = [1, 2, 3]: dW = xᵀdy = [[1, 2, 3], [2, 4, 6]]; db = dy = [1, 2, 3];
    //   dx = dy Wᵀ = [1·1 + 2·0 + 3·(−1), 1·2 + 2·1 + 3·0] = [−2, 4].
    const dense = new Dense(2, 3, { dtype: 'float64' });
    dense.weights.data.set([1, 0, -1, 2, 1, 0]);
    dense.biases!.data.set([0.5, -1, 2]);
    expect(dense.forward(tensor([[1, 2]], { dtype: 'float64' })).toArray()).toEqual([[5.5, 1, 1]]);
    const dx = dense.backward(tensor([[1, 2, 3]], { dtype: 'float64' }));
    expect(dx.toArray()).toEqual([[-2, 4]]);
    const [weights, biases] = dense.parameters();
    expect(Array.from(weights.grad)).toEqual([1, 2, 3, 2, 4, 6]);
    expect(Array.from(biases.grad)).toEqual([1, 2, 3]);
  });

  it('backward matches central differences over random shapes and seeds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (lead, inputSize, outputSize, useBias, seed) => {
          const dense = new Dense(inputSize, outputSize, { dtype: 'float64', useBias, seed });
          expectGradientsToMatch(checkLayerGradients(dense, randomInput([...lead, inputSize], seed), { seed }));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('overwrites gradients on every backward instead of accumulating', () => {
    const dense = new Dense(3, 2, { dtype: 'float64' });
    const x = randomInput([4, 3], 1);
    const dy = randomInput([4, 2], 2);
    dense.forward(x);
    dense.backward(dy);
    const first = Array.from(dense.parameters()[0].grad);
    dense.forward(x);
    dense.backward(dy);
    expect(Array.from(dense.parameters()[0].grad)).toEqual(first);
  });

  it('draws weights then biases from the rng, deterministically', () => {
    const dense = new Dense(4, 3, { seed: 5, biasInitializer: 'normal' });
    const reference = new Float32Array(12);
    const rng = createRng(5);
    initializers.glorotUniform(reference, { fanIn: 4, fanOut: 3 }, rng);
    const referenceBiases = new Float32Array(3);
    initializers.normal(referenceBiases, { fanIn: 4, fanOut: 3 }, rng);
    expect(dense.weights.data).toEqual(reference);
    expect(dense.biases!.data).toEqual(referenceBiases);
    dense.initialize(createRng(5));
    expect(dense.weights.data).toEqual(reference);
    expect(new Dense(4, 3).weights.data).toEqual(new Dense(4, 3, { seed: 0 }).weights.data);
  });

  it('picks He initialization for a ReLU hint and Glorot otherwise', () => {
    const he = new Dense(10, 4, { activationHint: 'relu', seed: 2 });
    const reference = new Float32Array(40);
    initializers.heNormal(reference, { fanIn: 10, fanOut: 4 }, createRng(2));
    expect(he.weights.data).toEqual(reference);
    expect(he.getConfig().kernelInitializer).toBe('heNormal');
    expect(new Dense(10, 4, { activationHint: 'tanh' }).getConfig().kernelInitializer).toBe('glorotUniform');
  });

  it('names parameters after the layer and follows renames', () => {
    const dense = new Dense(2, 2);
    expect(dense.name).toBe('dense');
    expect(dense.hasExplicitName).toBe(false);
    dense.rename('dense_1', { explicit: false });
    expect(dense.parameters().map((parameter) => parameter.name)).toEqual(['dense_1.weights', 'dense_1.biases']);
    expect(dense.hasExplicitName).toBe(false);
    expect(new Dense(2, 2, { name: 'encoder' }).hasExplicitName).toBe(true);
  });

  it('exposes weights and biases as tensors over the parameter arrays', () => {
    const dense = new Dense(3, 2);
    expect(dense.weights.shape).toEqual([3, 2]);
    expect(dense.weights.data).toBe(dense.parameters()[0].value);
    expect(dense.biases!.data).toBe(dense.parameters()[1].value);
  });

  it('reuses its output and gradient buffers across steps', () => {
    const dense = new Dense(5, 3, { dtype: 'float64' });
    const x = randomInput([4, 5], 1);
    const y = dense.forward(x);
    const dx = dense.backward(y);
    expect(dense.forward(x)).toBe(y);
    expect(dense.backward(y)).toBe(dx);
  });

  it('names the layer and both shapes when the input is wrong', () => {
    const dense = new Dense(784, 10, { name: 'dense_1' });
    expect(() => dense.forward(randomInput([32, 28, 28], 0))).toThrow(
      'Dense "dense_1": expected input [*,784], got [32,28,28]',
    );
    expect(() => dense.forward(randomInput([32, 784], 0))).toThrow(
      'Dense "dense_1": expected a float32 input, got float64; build the layer with { dtype: \'float64\' } or convert the input',
    );
    expect(() => new Dense(2, 2).backward(tensor([[1, 2]]))).toThrow(
      'Dense "dense": backward was called before forward',
    );
    const small = new Dense(2, 2);
    small.forward(tensor([[1, 2]]));
    expect(() => small.backward(tensor([[1, 2, 3]]))).toThrow(AnnetError);
    expect(() => new Dense(0, 2)).toThrow('Dense "dense": inputSize must be a positive integer, got 0');
  });

  it('writes db = sum(dZ, 0) bit for bit for every activation, over rank-3 inputs and a non-contiguous dY', () => {
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
      const dense = new Dense(5, 7, { activation, seed: 4 });
      const output = dense.forward(randomNormal([2, 3, 5], createRng(5)));
      const dy = randomNormal([2, 3, 7], createRng(6));
      const dz = new Float32Array(42);
      if (activation === 'linear') dz.set(dy.data as Float32Array);
      else differentiateActivation(activation, output.data as Float32Array, dy.data as Float32Array, 0, dz, 42);
      const expected = sum(new Tensor(dz, [6, 7]), 0).data;
      dense.backward(dy);
      expect(Array.from(dense.parameters()[1].gradient.data)).toEqual(Array.from(expected));
    }
    // A linear Dense handed a transposed (non-contiguous) dY.
    const dense = new Dense(5, 7, { seed: 4 });
    dense.forward(randomNormal([6, 5], createRng(7)));
    const dy = transpose(randomNormal([7, 6], createRng(8)));
    expect(dy.isContiguous).toBe(false);
    dense.backward(dy);
    expect(Array.from(dense.parameters()[1].gradient.data)).toEqual(Array.from(sum(dy, 0).data));
  });
});
