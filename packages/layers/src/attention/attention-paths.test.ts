import { jsKernels, residentZeros, Tensor, useKernels } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { MultiHeadAttention } from './multi-head-attention.js';

function residentTensor(shape: number[], value: (index: number) => number): Tensor {
  const tensor = residentZeros(shape, 'float32');
  for (let index = 0; index < tensor.size; index++) tensor.data[index] = value(index);
  return tensor;
}

function onTypeScriptKernels<T>(run: () => T): T {
  const previous = useKernels(jsKernels);
  try {
    return run();
  } finally {
    useKernels(previous);
  }
}

describe('MultiHeadAttention float32 paths', () => {
  for (const causal of [true, false]) {
    it(`${causal ? 'causal' : 'full'}: the WebAssembly softmax passes on resident buffers equal the TypeScript ones to float32 rounding (output, dX and every gradient)`, () => {
      const x = residentTensor([2, 8, 12], (index) => Math.sin(0.37 * index));
      const dy = residentTensor([2, 8, 12], (index) => Math.cos(0.23 * index));
      const run = () => {
        const layer = new MultiHeadAttention(12, { numHeads: 3, causal, seed: 5 });
        const output = Array.from(layer.forward(x, { training: true }).data);
        const inputGradient = Array.from(layer.backward(dy).data);
        return { output, inputGradient, gradients: layer.parameters().map((parameter) => Array.from(parameter.grad)) };
      };
      const reference = onTypeScriptKernels(run);
      const fast = run();
      const close = (actual: number[], expected: number[]) => {
        const scale = Math.max(...expected.map(Math.abs));
        for (let index = 0; index < expected.length; index++)
          expect(Math.abs(actual[index] - expected[index])).toBeLessThanOrEqual(2e-6 * Math.max(1, scale));
      };
      close(fast.output, reference.output);
      close(fast.inputGradient, reference.inputGradient);
      fast.gradients.forEach((gradient, index) => close(gradient, reference.gradients[index]));
    });
  }
});
