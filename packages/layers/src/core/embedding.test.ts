import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch } from '../testing/gradient-check.js';
import { Embedding } from './embedding.js';

describe('Embedding', () => {
  it('looks up rows and accumulates repeated indices in backward', () => {
    const embedding = new Embedding(3, 2, { dtype: 'float64' });
    embedding.embeddings.data.set([1, 2, 3, 4, 5, 6]);
    const output = embedding.forward(tensor([[2, 0, 2]], { dtype: 'int32' }));
    expect(output.toArray()).toEqual([[[5, 6], [1, 2], [5, 6]]]);
    // Rows 0 and 2 receive their gradients; row 2 twice: [1, 1] + [3, 3] = [4, 4].
    const inputGradient = embedding.backward(tensor([[[1, 1], [2, 2], [3, 3]]], { dtype: 'float64' }));
    expect(Array.from(embedding.parameters()[0].grad)).toEqual([2, 2, 0, 0, 4, 4]);
    expect(inputGradient.shape).toEqual([1, 3]);
    expect(Array.from(inputGradient.data)).toEqual([0, 0, 0]);
  });

  it('table gradient matches central differences over random shapes and seeds', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (shape, vocabularySize, embeddingSize, seed) => {
        const embedding = new Embedding(vocabularySize, embeddingSize, { dtype: 'float64', seed });
        const count = shape.reduce((product, dimension) => product * dimension, 1);
        const indices = new Tensor(Int32Array.from({ length: count }, (_, position) => (position * 3 + seed) % vocabularySize), shape);
        expectGradientsToMatch(checkLayerGradients(embedding, indices, { seed, skipInput: true }));
      }),
      { numRuns: 10 },
    );
  });

  it('rejects float indices and indices outside the table', () => {
    const embedding = new Embedding(4, 2, { name: 'tokens' });
    expect(() => embedding.forward(tensor([1.0]))).toThrow("Embedding \"tokens\": expected int32 indices, got float32; convert with cast(indices, 'int32')");
    expect(() => embedding.forward(tensor([4], { dtype: 'int32' }))).toThrow('Embedding "tokens": index 4 at position 0 is outside [0, 4)');
    expect(() => embedding.forward(tensor([-1], { dtype: 'int32' }))).toThrow(AnnetError);
  });
});
