import { jsKernels, residentZeros, Tensor, useKernels } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { LayerNorm } from './layer-norm.js';

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

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < expected.length; index++)
    expect(Math.abs(actual[index] - expected[index]), `index ${index}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[index])),
    );
}

describe('LayerNorm float32 paths', () => {
  const x = residentTensor([3, 5, 16], (index) => 2 * Math.sin(1.3 * index) + 0.5);
  const dy = residentTensor([3, 5, 16], (index) => Math.cos(0.7 * index));
  const layer = () => {
    const norm = new LayerNorm(16);
    norm.gamma.data.set(Float32Array.from({ length: 16 }, (_, index) => 1 + 0.1 * index));
    norm.beta.data.set(Float32Array.from({ length: 16 }, (_, index) => 0.05 * index));
    return norm;
  };
  const run = (norm: LayerNorm) => ({
    y: Array.from(norm.forward(x, { training: true }).data),
    dx: Array.from(norm.backward(dy).data),
    dGamma: Array.from(norm.parameters()[0].grad),
    dBeta: Array.from(norm.parameters()[1].grad),
  });
  const reference = onTypeScriptKernels(() => run(layer()));

  it('on resident buffers (WebAssembly SIMD, float32 sums) equals the TypeScript loops (float64 sums) to float32 rounding', () => {
    const fast = run(layer());
    expectClose(fast.y, reference.y, 1e-6);
    expectClose(fast.dx, reference.dx, 1e-5);
    expectClose(fast.dGamma, reference.dGamma, 1e-5);
    expectClose(fast.dBeta, reference.dBeta, 1e-6);
  });

  it('a backward on the TypeScript kernels after a WebAssembly forward recomputes the statistics it did not keep', () => {
    const norm = layer();
    norm.forward(x, { training: true });
    const dx = onTypeScriptKernels(() => Array.from(norm.backward(dy).data));
    expectClose(dx, reference.dx, 1e-5);
  });
});
