import { activeKernels, jsKernels, useKernels } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import type { BaseLayer } from './base-layer.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { PositionalEmbedding } from './attention/positional-embedding.js';
import { Conv2D } from './convolution/conv2d.js';
import { Dense } from './core/dense.js';
import { Embedding } from './core/embedding.js';
import { BatchNorm } from './normalization/batch-norm.js';
import { LayerNorm } from './normalization/layer-norm.js';
import { Bidirectional } from './recurrent/bidirectional.js';
import { GRU } from './recurrent/gru.js';
import { LSTM } from './recurrent/lstm.js';
import { SimpleRNN } from './recurrent/simple-rnn.js';

// Every layer with parameters, built with the given dtype.
const builders: Array<[string, (dtype: 'float32' | 'float64') => BaseLayer]> = [
  ['Dense', (dtype) => new Dense(6, 4, { dtype })],
  ['Conv2D', (dtype) => new Conv2D(2, 3, 3, { dtype })],
  ['BatchNorm', (dtype) => new BatchNorm(3, { dtype })],
  ['LayerNorm', (dtype) => new LayerNorm(4, { dtype })],
  ['Embedding', (dtype) => new Embedding(7, 4, { dtype })],
  ['PositionalEmbedding', (dtype) => new PositionalEmbedding(5, 4, { dtype })],
  ['MultiHeadAttention', (dtype) => new MultiHeadAttention(4, { numHeads: 2, dtype })],
  ['SimpleRNN', (dtype) => new SimpleRNN(3, 4, { dtype })],
  ['LSTM', (dtype) => new LSTM(3, 4, { dtype })],
  ['GRU', (dtype) => new GRU(3, 4, { dtype })],
  ['Bidirectional', (dtype) => new Bidirectional(new LSTM(3, 4, { dtype }))],
];

describe('parameter memory', () => {
  it('runs under the shared-memory WebAssembly backend (Node 20 has it)', () => {
    expect(activeKernels().name).toMatch(/^wasm/);
  });

  for (const [name, build] of builders) {
    it(`${name}: float32 parameters carry the kernel memory that holds their value and grad`, () => {
      const parameters = build('float32').parameters();
      expect(parameters.length).toBeGreaterThan(0);
      const memory = parameters[0].memory!.memory;
      for (const parameter of parameters) {
        expect(parameter.memory?.memory).toBe(memory); // one memory for the whole model
        expect(parameter.value.buffer).toBeInstanceOf(SharedArrayBuffer);
        // The same bytes: a write through the memory at the parameter's addresses shows in its arrays.
        const last = parameter.value.length - 1;
        new Float32Array(memory.buffer, parameter.value.byteOffset + 4 * last, 1)[0] = 1.5;
        new Float32Array(memory.buffer, parameter.grad.byteOffset, 1)[0] = -3;
        expect(parameter.value[last]).toBe(1.5);
        expect(parameter.grad[0]).toBe(-3);
      }
    });

    it(`${name}: float64 parameters, and float32 ones under the TypeScript kernels, have no memory`, () => {
      for (const parameter of build('float64').parameters()) expect(parameter.memory).toBeUndefined();
      const previous = useKernels(jsKernels);
      try {
        for (const parameter of build('float32').parameters()) {
          expect(parameter.memory).toBeUndefined();
          expect('memory' in parameter).toBe(false);
          expect(parameter.value.buffer).toBeInstanceOf(ArrayBuffer);
        }
      } finally {
        useKernels(previous);
      }
    });
  }
});
