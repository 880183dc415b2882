import { residentZeros, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2D, type Conv2DOptions } from './conv2d.js';

// A float32 Conv2D on resident input takes the whole-batch way (one product each for y, dW and
// dX over columns [C·kH·kW, N·P]); the float64 layer takes the per-sample way in TypeScript.
// Given the same weights they may differ only by float32 rounding.
function residentInput(shape: number[], seed: number): { resident: Tensor; reference: Tensor } {
  const resident = residentZeros(shape);
  const data = resident.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(Math.sin(seed + 0.37 * i) + 0.2);
  return { resident, reference: new Tensor(Float64Array.from(data), shape) };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance * scale);
}

const cases: Array<{
  what: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  options: Conv2DOptions;
  input: number[];
}> = [
  {
    what: '3x3 same, ReLU and bias (F ≤ P)',
    inChannels: 2,
    outChannels: 3,
    kernel: 3,
    options: { padding: 'same', activation: 'relu' },
    input: [3, 2, 7, 6],
  },
  {
    what: '3x3 stride 2 without bias (F > P)',
    inChannels: 3,
    outChannels: 8,
    kernel: 3,
    options: { padding: 'same', stride: 2, useBias: false },
    input: [2, 3, 4, 4],
  },
  {
    what: '1x1 stride 2 projection',
    inChannels: 4,
    outChannels: 5,
    kernel: 1,
    options: { stride: 2 },
    input: [4, 4, 5, 5],
  },
];

describe('Conv2D, the whole-batch way (float32 on resident memory)', () => {
  for (const { what, inChannels, outChannels, kernel, options, input } of cases) {
    it(`matches the float64 layer to float32 rounding: ${what}`, () => {
      const layer = new Conv2D(inChannels, outChannels, kernel, { ...options, seed: 3 });
      const reference = new Conv2D(inChannels, outChannels, kernel, { ...options, seed: 3, dtype: 'float64' });
      layer.parameters().forEach((parameter, index) => reference.parameters()[index].value.set(parameter.value));
      const x = residentInput(input, 1);
      const y = layer.forward(x.resident, { training: true });
      const expected = reference.forward(x.reference, { training: true });
      expectClose(y.data, expected.data, 1e-6);
      const dy = residentInput(y.shape as number[], 2);
      for (let step = 0; step < 2; step++) {
        expectClose(layer.backward(dy.resident).data, reference.backward(dy.reference).data, 1e-6);
        layer
          .parameters()
          .forEach((parameter, index) => expectClose(parameter.grad, reference.parameters()[index].grad, 1e-5));
      }
    });
  }

  it('takes a gradient in ordinary memory too (the block move in TypeScript), with the same result', () => {
    const layer = new Conv2D(2, 3, 3, { padding: 'same', seed: 1 });
    const x = residentInput([2, 2, 5, 5], 4);
    const y = layer.forward(x.resident, { training: true });
    const dy = residentInput(y.shape as number[], 5);
    const fromResident = Array.from(layer.backward(dy.resident).data);
    const weightGradient = Array.from(layer.parameters()[0].grad);
    const ordinary = new Tensor(Float32Array.from(dy.resident.data as Float32Array), y.shape as number[]);
    expect(Array.from(layer.backward(ordinary).data)).toEqual(fromResident);
    expect(Array.from(layer.parameters()[0].grad)).toEqual(weightGradient);
  });
});
