import { AnnetError, createRng } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../activations/relu.js';
import { Dense } from '../core/dense.js';
import { BatchNorm } from '../normalization/batch-norm.js';
import { randomInput } from '../testing/gradient-check.js';
import { defaultLayerRegistry, layerFromConfig } from './layer-registry.js';
import { collectWeights, loadWeights } from './load-weights.js';

/** One configured instance of every registered layer, with an input it accepts. */
const examples = () => [
  {
    layer: new defaultLayerRegistry.Dense(3, 2, { name: 'head', dtype: 'float64', activationHint: 'relu', seed: 3 }),
    input: [2, 3],
  },
  {
    layer: new defaultLayerRegistry.Conv2D(2, 3, [3, 1], {
      stride: [1, 2],
      padding: 'same',
      dilation: 1,
      useBias: false,
      dtype: 'float64',
    }),
    input: [1, 2, 5, 5],
  },
  {
    layer: new defaultLayerRegistry.MaxPool2D(2, { stride: 1, padding: 'valid', dtype: 'float64' }),
    input: [1, 2, 4, 4],
  },
  { layer: new defaultLayerRegistry.AvgPool2D([2, 3], { padding: 'same', dtype: 'float64' }), input: [1, 2, 4, 4] },
  { layer: new defaultLayerRegistry.GlobalAveragePooling2D({ dtype: 'float64' }), input: [2, 3, 2, 2] },
  { layer: new defaultLayerRegistry.BatchNorm(3, { momentum: 0.2, epsilon: 1e-3, dtype: 'float64' }), input: [4, 3] },
  { layer: new defaultLayerRegistry.LayerNorm([2, 3], { epsilon: 1e-6, dtype: 'float64' }), input: [2, 2, 3] },
  { layer: new defaultLayerRegistry.Dropout(0.3, { seed: 9, dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.Flatten({ dtype: 'float64' }), input: [2, 3, 2] },
  { layer: new defaultLayerRegistry.Reshape([3, -1], { dtype: 'float64' }), input: [2, 6] },
  { layer: new defaultLayerRegistry.ReLU({ dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.LeakyReLU({ negativeSlope: 0.2, dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.ELU({ alpha: 0.5, dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.GELU({ approximate: 'tanh', dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.Sigmoid({ dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.Tanh({ dtype: 'float64' }), input: [2, 3] },
  { layer: new defaultLayerRegistry.Softmax({ axis: 0, dtype: 'float64' }), input: [2, 3] },
  {
    layer: new defaultLayerRegistry.SimpleRNN(3, 2, { activation: 'relu', returnSequences: true, dtype: 'float64' }),
    input: [2, 4, 3],
  },
  { layer: new defaultLayerRegistry.LSTM(3, 2, { reverse: true, maxLength: 8, dtype: 'float64' }), input: [2, 4, 3] },
  { layer: new defaultLayerRegistry.GRU(3, 2, { returnSequences: true, seed: 5, dtype: 'float64' }), input: [2, 4, 3] },
  {
    layer: new defaultLayerRegistry.Bidirectional(new defaultLayerRegistry.GRU(3, 2, { dtype: 'float64' }), {
      merge: 'multiply',
      seed: 2,
    }),
    input: [2, 4, 3],
  },
  {
    layer: new defaultLayerRegistry.MultiHeadAttention(4, { numHeads: 2, causal: true, dtype: 'float64', seed: 2 }),
    input: [2, 3, 4],
  },
  { layer: new defaultLayerRegistry.PositionalEmbedding(5, 4, { dtype: 'float64' }), input: [2, 3, 4] },
  {
    layer: new defaultLayerRegistry.SinusoidalPositionalEncoding(5, 4, { base: 100, dtype: 'float64' }),
    input: [2, 3, 4],
  },
];

describe('layerFromConfig', () => {
  it('rebuilds every registered layer into one that computes the same outputs once weights are loaded', () => {
    const checked = new Set<string>();
    for (const { layer, input } of examples()) {
      const config = JSON.parse(JSON.stringify(layer.getConfig()));
      const copy = layerFromConfig(config);
      expect(copy.constructor).toBe(layer.constructor);
      expect(copy.getConfig()).toEqual(layer.getConfig());
      for (const parameter of layer.parameters())
        parameter.value.forEach((_, index, values) => (values[index] = Math.sin(index + 1)));
      loadWeights(copy, collectWeights(layer));
      const x = randomInput(input, 4);
      const training = layer.className === 'Dropout';
      expect(Array.from(copy.forward(x, { training }).data)).toEqual(Array.from(layer.forward(x, { training }).data));
      checked.add(layer.className);
    }
    // Embedding has its own test below, TransposedEmbedding (tied to an Embedding) in attention/; the merge layers
    // round-trip in merge/merge.test.ts; SequenceMask, InitialState and FinalState (which reads a recurrent layer's
    // output) in @annet/model's recurrent-models.test.ts.
    const merges = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Concatenate', 'SequenceMask', 'InitialState'];
    expect([...checked, 'Embedding', 'TransposedEmbedding', 'FinalState', ...merges].sort()).toEqual(
      Object.keys(defaultLayerRegistry).sort(),
    );
  });

  it('refuses a merge layer, which only fits in a graph model', () => {
    expect(() => layerFromConfig({ className: 'Add', name: 'add_1' })).toThrow(
      'Add takes several inputs, so it only fits in a graph model; rebuild it with graphLayerFromConfig',
    );
  });

  it('rebuilds Embedding', () => {
    const embedding = new defaultLayerRegistry.Embedding(5, 2, {
      embeddingsInitializer: { name: 'normal', standardDeviation: 0.02 },
    });
    expect(layerFromConfig(embedding.getConfig()).getConfig()).toEqual(embedding.getConfig());
  });

  it('uses the registry it is given, and says how to fix an unknown class', () => {
    class Square extends ReLU {
      static override fromConfig() {
        return new Square();
      }
    }
    expect(layerFromConfig({ className: 'Square', name: 'square' }, { Square })).toBeInstanceOf(Square);
    expect(() => layerFromConfig({ className: 'Square', name: 'square' })).toThrow(
      'layerFromConfig: unknown layer className "Square"',
    );
  });
});

describe('loadWeights', () => {
  it('copies parameters and buffers by name, in place', () => {
    const norm = new BatchNorm(2, { name: 'bn' });
    const gamma = norm.parameters()[0].value;
    const loaded = loadWeights(norm, {
      'bn.gamma': new Float32Array([2, 3]),
      'bn.beta': new Float64Array([0.5, 0.25]),
      'bn.runningMean': new Float32Array([1, 1]),
      'bn.runningVariance': new Float32Array([4, 4]),
      'other.weights': new Float32Array(7),
    });
    expect(loaded).toEqual(['bn.gamma', 'bn.beta', 'bn.runningMean', 'bn.runningVariance']);
    expect(norm.parameters()[0].value).toBe(gamma);
    expect(Array.from(gamma)).toEqual([2, 3]);
    expect(Array.from(norm.runningVariance.data)).toEqual([4, 4]);
  });

  it('rejects missing entries unless not strict, and wrong lengths', () => {
    const dense = new Dense(2, 2, { name: 'dense_1' });
    const weights = { data: new Float32Array(4), shape: [2, 2] };
    expect(() => loadWeights(dense, { 'dense_1.weights': weights })).toThrow(
      'loadWeights "dense_1": no array named "dense_1.biases" among 1 entries; pass { strict: false } to skip it',
    );
    expect(loadWeights(dense, { 'dense_1.weights': weights }, { strict: false })).toEqual(['dense_1.weights']);
    expect(() =>
      loadWeights(dense, {
        'dense_1.weights': { data: new Float32Array(3), shape: [3] },
        'dense_1.biases': new Float32Array(2),
      }),
    ).toThrow(AnnetError);
  });

  it('restores a layer exactly from collected weights after a rename', () => {
    const trained = new Dense(4, 3, { rng: createRng(8) });
    trained.rename('dense_2');
    const fresh = new Dense(4, 3);
    fresh.rename('dense_2');
    loadWeights(fresh, collectWeights(trained));
    expect(fresh.weights.data).toEqual(trained.weights.data);
  });
});
