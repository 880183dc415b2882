import { residentZeros, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from '../activations/relu.js';
import { BatchNorm } from './batch-norm.js';

// float32 BatchNorm and ReLU take the WebAssembly SIMD passes when their input is resident (as
// in a model, where every layer output is); held here against the float64 layers' TypeScript
// loops on the same values: a float32 layer can only differ by its float32 rounding.
function inputs(shape: number[], seed: number): { resident: Tensor; reference: Tensor } {
  const resident = residentZeros(shape);
  const data = resident.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(2 * Math.sin(seed + 0.73 * i) + 0.3 * (i % 5));
  return { resident, reference: new Tensor(Float64Array.from(data), shape) };
}

const expectClose = (actual: Tensor, expected: Tensor, tolerance: number) => {
  const scale = Math.max(...Array.from(expected.data as Float64Array, Math.abs));
  for (let i = 0; i < expected.size; i++)
    expect(Math.abs(actual.data[i] - expected.data[i])).toBeLessThanOrEqual(tolerance * scale);
};

describe('BatchNorm and ReLU on resident float32 data', () => {
  it('BatchNorm forward, backward, γ/β gradients and running statistics match the float64 layer to float32 rounding', () => {
    const shape = [4, 3, 5, 7]; // inner 35: SIMD quadruples and a scalar tail
    const layer = new BatchNorm(3);
    const reference = new BatchNorm(3, { dtype: 'float64' });
    const x = inputs(shape, 1);
    const dy = inputs(shape, 2);
    for (let step = 0; step < 2; step++) {
      expectClose(
        layer.forward(x.resident, { training: true }),
        reference.forward(x.reference, { training: true }),
        1e-6,
      );
      expectClose(layer.backward(dy.resident), reference.backward(dy.reference), 1e-5);
    }
    for (const [index, parameter] of layer.parameters().entries()) {
      const expected = reference.parameters()[index].grad;
      for (let c = 0; c < 3; c++)
        expect(Math.abs(parameter.grad[c] - expected[c])).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected[c])));
    }
    expectClose(layer.runningVariance, reference.runningVariance, 1e-6);
    expectClose(layer.forward(x.resident), reference.forward(x.reference), 1e-6); // inference: running statistics
  });

  it('ReLU forward and backward on resident data equal the float64 layer exactly (a mask is exact)', () => {
    const shape = [3, 2, 9];
    const x = inputs(shape, 3);
    const dy = inputs(shape, 4);
    const [layer, reference] = [new ReLU(), new ReLU()];
    expect(Array.from(layer.forward(x.resident, { training: true }).data)).toEqual(
      Array.from(reference.forward(x.reference, { training: true }).data),
    );
    expect(Array.from(layer.backward(dy.resident).data)).toEqual(Array.from(reference.backward(dy.reference).data));
  });
});
