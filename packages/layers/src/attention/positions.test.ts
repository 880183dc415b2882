import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding } from '../core/embedding.js';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { PositionalEmbedding } from './positional-embedding.js';
import { SinusoidalPositionalEncoding } from './sinusoidal-positional-encoding.js';
import { TransposedEmbedding } from './transposed-embedding.js';

describe('PositionalEmbedding', () => {
  it('adds row t of the table to time step t of every sample (hand-computed)', () => {
    const layer = new PositionalEmbedding(3, 2, { dtype: 'float64' });
    layer.parameters()[0].value.set([10, 20, 30, 40, 50, 60]);
    const x = new Tensor(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [2, 2, 2]);
    // Two steps use rows 0 and 1 only: [1+10, 2+20, 3+30, 4+40] per sample.
    expect(Array.from(layer.forward(x).data)).toEqual([11, 22, 33, 44, 15, 26, 37, 48]);
  });

  it('backward matches float64 central differences for the input and the table', () => {
    expectGradientsToMatch(
      checkLayerGradients(new PositionalEmbedding(6, 3, { dtype: 'float64', seed: 1 }), randomInput([2, 4, 3], 1)),
    );
  });

  it('refuses a sequence longer than maxLength, saying how to fix it', () => {
    const layer = new PositionalEmbedding(4, 2);
    expect(() => layer.forward(new Tensor(new Float32Array(10), [1, 5, 2]))).toThrow(
      'PositionalEmbedding "positional_embedding": the input has 5 time steps (shape [1,5,2]) but the layer covers at most 4 (its maxLength); crop the sequence to the last 4 steps',
    );
  });
});

describe('SinusoidalPositionalEncoding', () => {
  it('is sin(t / 10000^(2i/E)) at even and cos at odd columns (hand-computed for E = 4)', () => {
    const layer = new SinusoidalPositionalEncoding(3, 4);
    const table = layer.table();
    // Columns 0,1 use frequency 1; columns 2,3 use 1/10000^(2/4) = 1/100.
    expect(Array.from(table.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(table[4]).toBe(Math.sin(1));
    expect(table[5]).toBe(Math.cos(1));
    expect(table[10]).toBeCloseTo(Math.sin(2 / 100), 15);
    expect(table[11]).toBeCloseTo(Math.cos(2 / 100), 15);
  });

  it('adds the table and passes the gradient through (central differences)', () => {
    expectGradientsToMatch(checkLayerGradients(new SinusoidalPositionalEncoding(5, 4), randomInput([2, 3, 4], 2)));
  });
});

describe('TransposedEmbedding', () => {
  it('computes x·Eᵀ with the embedding table (hand-computed) and shares its parameter object', () => {
    const embedding = new Embedding(3, 2, { dtype: 'float64', name: 'wte' });
    embedding.parameters()[0].value.set([1, 0, 0, 1, 1, 1]);
    const head = new TransposedEmbedding(embedding);
    expect(head.parameters()[0]).toBe(embedding.parameters()[0]);
    expect(head.parameters()[0].name).toBe('wte.embeddings');
    // x = [2, 3]: logits = [2·1 + 3·0, 2·0 + 3·1, 2 + 3].
    expect(Array.from(head.forward(new Tensor(Float64Array.from([2, 3]), [1, 2])).data)).toEqual([2, 3, 5]);
  });

  it('backward matches float64 central differences for the input and the tied table', () => {
    const head = new TransposedEmbedding(new Embedding(5, 3, { dtype: 'float64', seed: 3 }));
    expectGradientsToMatch(checkLayerGradients(head, randomInput([2, 4, 3], 3)));
  });

  it('records the embedding it is tied to, rebuilds untied from its config and ties through linkLayers', () => {
    const embedding = new Embedding(4, 2, { name: 'wte' });
    const config = JSON.parse(JSON.stringify(new TransposedEmbedding(embedding, { name: 'lm_head' }).getConfig()));
    expect(config).toEqual({
      className: 'TransposedEmbedding',
      name: 'lm_head',
      dtype: 'float32',
      tiedTo: 'wte',
      vocabularySize: 4,
      embeddingSize: 2,
    });
    const copy = TransposedEmbedding.fromConfig(config);
    expect(copy.outputShape([-1, 2])).toEqual([-1, 4]);
    expect(() => copy.forward(new Tensor(new Float32Array(2), [1, 2]))).toThrow(/is not tied to an Embedding yet/);
    expect(() => copy.linkLayers(() => undefined)).toThrow(
      'TransposedEmbedding "lm_head": is tied to the Embedding "wte", which is not a layer of this model',
    );
    copy.linkLayers((name) => (name === 'wte' ? embedding : undefined));
    expect(copy.parameters()[0]).toBe(embedding.parameters()[0]);
  });
});
