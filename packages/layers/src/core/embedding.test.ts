import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { AnnetError, createRng, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import {
  checkLayerGradients,
  expectGradientsToMatch,
  numericGradient,
  randomInput,
} from '../testing/gradient-check.js';
import { Embedding } from './embedding.js';

describe('Embedding', () => {
  it('looks up rows and accumulates repeated indices in backward', () => {
    const embedding = new Embedding(3, 2, { dtype: 'float64' });
    embedding.embeddings.data.set([1, 2, 3, 4, 5, 6]);
    const output = embedding.forward(tensor([[2, 0, 2]], { dtype: 'int32' }));
    expect(output.toArray()).toEqual([
      [
        [5, 6],
        [1, 2],
        [5, 6],
      ],
    ]);
    // Rows 0 and 2 receive their gradients; row 2 twice: [1, 1] + [3, 3] = [4, 4].
    const inputGradient = embedding.backward(
      tensor(
        [
          [
            [1, 1],
            [2, 2],
            [3, 3],
          ],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(Array.from(embedding.parameters()[0].grad)).toEqual([2, 2, 0, 0, 4, 4]);
    expect(inputGradient.shape).toEqual([1, 3]);
    expect(Array.from(inputGradient.data)).toEqual([0, 0, 0]);
  });

  it('table gradient matches central differences over random shapes and seeds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        (shape, vocabularySize, embeddingSize, seed) => {
          const embedding = new Embedding(vocabularySize, embeddingSize, { dtype: 'float64', seed });
          const count = shape.reduce((product, dimension) => product * dimension, 1);
          const indices = new Tensor(
            Int32Array.from({ length: count }, (_, position) => (position * 3 + seed) % vocabularySize),
            shape,
          );
          expectGradientsToMatch(checkLayerGradients(embedding, indices, { seed, skipInput: true }));
        },
      ),
      { numRuns: 10 },
    );
  });

  it('rejects float indices and indices outside the table', () => {
    const embedding = new Embedding(4, 2, { name: 'tokens' });
    expect(() => embedding.forward(tensor([1.0]))).toThrow(
      'Embedding "tokens": expected int32 indices, got float32; convert with cast(indices, \'int32\')',
    );
    expect(() => embedding.forward(tensor([4], { dtype: 'int32' }))).toThrow(
      'Embedding "tokens": index 4 at position 0 is outside [0, 4)',
    );
    expect(() => embedding.forward(tensor([-1], { dtype: 'int32' }))).toThrow(AnnetError);
  });

  it('starts the padding row at zero, also after initialize, and gives it no gradient', () => {
    const embedding = new Embedding(4, 2, { dtype: 'float64', paddingIndex: 1, embeddingsInitializer: 'ones' });
    expect(Array.from(embedding.embeddings.data)).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    embedding.embeddings.data.fill(3);
    embedding.initialize(createRng(2));
    expect(Array.from(embedding.embeddings.data)).toEqual([1, 1, 0, 0, 1, 1, 1, 1]);
    // Indices [1, 2, 1]: only row 2 receives a gradient ([5, 6]); row 1 (padding) stays 0.
    embedding.forward(tensor([1, 2, 1], { dtype: 'int32' }));
    embedding.backward(
      tensor(
        [
          [1, 2],
          [5, 6],
          [3, 4],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(Array.from(embedding.parameters()[0].grad)).toEqual([0, 0, 0, 0, 5, 6, 0, 0]);
  });

  it('draws the other rows exactly as without a padding index', () => {
    const plain = new Embedding(6, 3, { seed: 9 });
    const padded = new Embedding(6, 3, { seed: 9, paddingIndex: -2 });
    expect(padded.paddingIndex).toBe(4);
    const rows = (table: Tensor) =>
      Array.from({ length: 6 }, (_, row) => Array.from(table.data.slice(row * 3, row * 3 + 3)));
    expect(rows(padded.embeddings).filter((_, row) => row !== 4)).toEqual(
      rows(plain.embeddings).filter((_, row) => row !== 4),
    );
    expect(rows(padded.embeddings)[4]).toEqual([0, 0, 0]);
  });

  it('table gradient matches central differences away from the padding row, which gets none', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1e6 }),
        (vocabularySize, embeddingSize, seed) => {
          const paddingIndex = seed % vocabularySize;
          const embedding = new Embedding(vocabularySize, embeddingSize, { dtype: 'float64', seed, paddingIndex });
          const indices = new Tensor(
            Int32Array.from({ length: 6 }, (_, position) => (position * 3 + seed) % vocabularySize),
            [2, 3],
          );
          const projection = randomInput([2, 3, embeddingSize], seed + 1);
          // L = Σ output·R; the numeric gradient of the padding row is R summed over its positions,
          // which PyTorch (and this layer) deliberately drop: compare every other row, and the padding row with 0.
          const loss = (): number => {
            const output = embedding.forward(indices).data;
            let sum = 0;
            for (let index = 0; index < output.length; index++) sum += output[index] * projection.data[index];
            return sum;
          };
          embedding.forward(indices);
          embedding.backward(projection);
          const analytic = Float64Array.from(embedding.parameters()[0].grad);
          const numeric = numericGradient(embedding.parameters()[0].value, loss, 1e-5);
          for (let index = 0; index < analytic.length; index++) {
            const row = Math.floor(index / embeddingSize);
            if (row === paddingIndex) expect(analytic[index]).toBe(0);
            else expect(Math.abs(analytic[index] - numeric[index])).toBeLessThan(1e-8);
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('records paddingIndex in its config and rejects one outside the table', () => {
    const config = new Embedding(5, 2, { paddingIndex: 0 }).getConfig();
    expect(config.paddingIndex).toBe(0);
    expect(Embedding.fromConfig(config).paddingIndex).toBe(0);
    expect(new Embedding(5, 2).getConfig()).not.toHaveProperty('paddingIndex');
    expect(new Embedding(5, 2).paddingIndex).toBe(-1);
    expect(() => new Embedding(5, 2, { paddingIndex: 5, name: 'words' })).toThrow(
      'Embedding "words": paddingIndex must be an integer in [-5, 5) (an index of the table), got 5',
    );
    expect(() => new Embedding(5, 2, { paddingIndex: 1.5 })).toThrow(AnnetError);
  });

  const fixtures = JSON.parse(readFileSync(new URL('./fixtures/torch-embedding.json', import.meta.url), 'utf8')) as {
    torch: string;
    cases: Array<{
      name: string;
      vocabularySize: number;
      embeddingSize: number;
      paddingIndex: number | null;
      freshPaddingRow: number[] | null;
      table: number[];
      indicesShape: number[];
      indices: number[];
      projection: number[];
      expectedOutput: number[];
      expectedTableGradient: number[];
    }>;
  };
  for (const testCase of fixtures.cases) {
    it(`equals PyTorch ${fixtures.torch}'s nn.Embedding: ${testCase.name}`, () => {
      const embedding = new Embedding(testCase.vocabularySize, testCase.embeddingSize, {
        dtype: 'float64',
        paddingIndex: testCase.paddingIndex ?? undefined,
      });
      if (testCase.freshPaddingRow !== null) {
        const start = embedding.paddingIndex * testCase.embeddingSize;
        expect(Array.from(embedding.embeddings.data.slice(start, start + testCase.embeddingSize))).toEqual(
          testCase.freshPaddingRow,
        );
      }
      embedding.embeddings.data.set(testCase.table);
      const output = embedding.forward(new Tensor(Int32Array.from(testCase.indices), testCase.indicesShape));
      expect(Array.from(output.data)).toEqual(testCase.expectedOutput);
      embedding.backward(new Tensor(Float64Array.from(testCase.projection), output.shape));
      const gradient = embedding.parameters()[0].grad;
      gradient.forEach((value, index) =>
        expect(Math.abs(value - testCase.expectedTableGradient[index])).toBeLessThanOrEqual(1e-15),
      );
    });
  }
});
