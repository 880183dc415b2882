import { describe, expect, it } from 'vitest';
import { AvgPool2D } from './convolution/avg-pool2d.js';
import { Conv2D } from './convolution/conv2d.js';
import { MaxPool2D } from './convolution/max-pool2d.js';
import { Dense } from './core/dense.js';
import { Dropout } from './core/dropout.js';
import { Flatten } from './core/flatten.js';
import { Reshape } from './core/reshape.js';
import { BatchNorm } from './normalization/batch-norm.js';
import { LayerNorm } from './normalization/layer-norm.js';
import { ELU } from './activations/elu.js';
import { GELU } from './activations/gelu.js';
import { LeakyReLU } from './activations/leaky-relu.js';
import { ReLU } from './activations/relu.js';
import { Sigmoid } from './activations/sigmoid.js';
import { Softmax } from './activations/softmax.js';
import { Tanh } from './activations/tanh.js';
import type { BaseLayer } from './base-layer.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { PositionalEmbedding } from './attention/positional-embedding.js';
import { SinusoidalPositionalEncoding } from './attention/sinusoidal-positional-encoding.js';
import { TransposedEmbedding } from './attention/transposed-embedding.js';
import { Embedding } from './core/embedding.js';
import { randomInput } from './testing/gradient-check.js';

// Embedding is left out: its forward is the `gather` op, which has no `out` option yet.
const cases: Array<{ layer: BaseLayer; input: number[] }> = [
  { layer: new Dense(6, 4, { dtype: 'float64' }), input: [3, 6] },
  { layer: new Dense(6, 4, { dtype: 'float64' }), input: [2, 3, 6] },
  { layer: new Conv2D(2, 3, 3, { padding: 'same', stride: 2, dtype: 'float64' }), input: [2, 2, 6, 6] },
  { layer: new MaxPool2D(2, { dtype: 'float64' }), input: [2, 2, 6, 6] },
  { layer: new AvgPool2D(3, { padding: 'same', stride: 1 }), input: [2, 2, 5, 5] },
  { layer: new BatchNorm(2, { dtype: 'float64' }), input: [3, 2, 2, 2] },
  { layer: new LayerNorm(4, { dtype: 'float64' }), input: [3, 4] },
  { layer: new Dropout(0.5), input: [3, 4] },
  { layer: new Flatten(), input: [2, 3, 4] },
  { layer: new Reshape([2, 6]), input: [2, 12] },
  { layer: new ReLU(), input: [3, 4] },
  { layer: new LeakyReLU(), input: [3, 4] },
  { layer: new ELU(), input: [3, 4] },
  { layer: new GELU(), input: [3, 4] },
  { layer: new Sigmoid(), input: [3, 4] },
  { layer: new Tanh(), input: [3, 4] },
  { layer: new Softmax(), input: [3, 4] },
  { layer: new MultiHeadAttention(4, { numHeads: 2, causal: true, dropout: 0.2, dtype: 'float64' }), input: [2, 3, 4] },
  { layer: new PositionalEmbedding(5, 4, { dtype: 'float64' }), input: [2, 3, 4] },
  { layer: new SinusoidalPositionalEncoding(5, 4), input: [2, 3, 4] },
  { layer: new TransposedEmbedding(new Embedding(5, 4, { dtype: 'float64' })), input: [2, 3, 4] },
];

describe('steady state', () => {
  for (const { layer, input } of cases) {
    it(`${layer.className} returns the same output and gradient tensors on every step for ${JSON.stringify(input)}`, () => {
      const x = randomInput(input, 1);
      const outputGradient = randomInput(layer.outputShape(input), 2);
      const output = layer.forward(x, { training: true });
      const inputGradient = layer.backward(outputGradient);
      const parameterGradients = layer.parameters().map((parameter) => parameter.grad);
      for (let step = 0; step < 3; step++) {
        expect(layer.forward(x, { training: true })).toBe(output);
        expect(layer.backward(outputGradient)).toBe(inputGradient);
      }
      expect(layer.parameters().map((parameter) => parameter.grad)).toEqual(parameterGradients);
      layer.parameters().forEach((parameter, index) => expect(parameter.grad).toBe(parameterGradients[index]));
    });
  }

  it('reallocates when the batch size changes, then reuses again', () => {
    const dense = new Dense(3, 2, { dtype: 'float64' });
    const small = dense.forward(randomInput([2, 3], 1));
    const large = dense.forward(randomInput([5, 3], 1));
    expect(large).not.toBe(small);
    expect(large.shape).toEqual([5, 2]);
    expect(dense.forward(randomInput([5, 3], 2))).toBe(large);
  });
});
