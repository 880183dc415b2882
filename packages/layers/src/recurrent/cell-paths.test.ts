import { createRng, jsKernels, Tensor, useKernels, type FloatDType } from '@annet/tensor';
import * as tensor from '@annet/tensor';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { attachMask } from './sequence-mask.js';

// The cell kernels, wrapped so the test sees every call (rows) and what it returned (ran or not).
vi.mock('@annet/tensor', async (importOriginal) => {
  const original = await importOriginal<typeof import('@annet/tensor')>();
  return {
    ...original,
    lstmCellForwardResident: vi.fn(original.lstmCellForwardResident),
    lstmCellBackwardResident: vi.fn(original.lstmCellBackwardResident),
    gruCellForwardResident: vi.fn(original.gruCellForwardResident),
    gruCellBackwardResident: vi.fn(original.gruCellBackwardResident),
  };
});

/** Per cell: its layer, its kernels (mocked), the argument index of `rows` in each, its gates per unit. */
const cells = [
  {
    kind: 'LSTM',
    make: LSTM,
    forwardKernel: vi.mocked(tensor.lstmCellForwardResident),
    backwardKernel: vi.mocked(tensor.lstmCellBackwardResident),
    forwardRows: 10,
    backwardRows: 12,
    gates: 4,
  },
  {
    kind: 'GRU',
    make: GRU,
    forwardKernel: vi.mocked(tensor.gruCellForwardResident),
    backwardKernel: vi.mocked(tensor.gruCellBackwardResident),
    forwardRows: 10,
    backwardRows: 14,
    gates: 3,
  },
] as const;
type Cell = (typeof cells)[number];

beforeEach(() => {
  for (const cell of cells) {
    cell.forwardKernel.mockClear();
    cell.backwardKernel.mockClear();
  }
});

afterEach(() => {
  useKernels(null);
});

const [batch, time, inputSize, hiddenSize] = [4, 5, 3, 6]; // H = 6: one vector of four units and a tail of two

/** A forward and backward of a seeded layer on a seeded input, with the optional lengths as a mask. */
function run(cell: Cell, dtype: FloatDType, lengths: number[] | null) {
  const layer = new cell.make(inputSize, hiddenSize, { returnSequences: true, dtype, seed: 3 });
  const rng = createRng(5);
  const values = Array.from({ length: batch * time * inputSize }, () => 2 * rng.uniform() - 1);
  const x = new Tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), [
    batch,
    time,
    inputSize,
  ]);
  if (lengths !== null) {
    const mask = Float32Array.from({ length: batch * time }, (_, index) =>
      index % time < lengths[Math.floor(index / time)] ? 1 : 0,
    );
    attachMask(x, new Tensor(dtype === 'float32' ? mask : Float64Array.from(mask), [batch, time]));
  }
  const y = layer.forward(x, { training: true });
  const upstream = Array.from({ length: y.size }, (_, index) => Math.cos(index));
  const dy = new Tensor(dtype === 'float32' ? Float32Array.from(upstream) : Float64Array.from(upstream), y.shape);
  const dx = layer.backward(dy);
  return {
    y: Array.from(y.data),
    dx: Array.from(dx.data),
    grads: layer.parameters().flatMap((parameter) => Array.from(parameter.grad)),
  };
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) =>
    expect(Math.abs(value - expected[index]), `index ${index}`).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[index])),
    ),
  );
}

describe.each(cells)('$kind cell paths', (cell) => {
  const { forwardKernel, backwardKernel, forwardRows, backwardRows } = cell;

  it('float32 on resident buffers runs every step of the cell in the SIMD kernels, one call per step', () => {
    run(cell, 'float32', null);
    expect(forwardKernel.mock.calls.map((call) => call[forwardRows])).toEqual(new Array(time).fill(batch));
    expect(forwardKernel.mock.results.every((result) => result.value === true)).toBe(true);
    expect(backwardKernel.mock.calls.map((call) => call[backwardRows])).toEqual(new Array(time).fill(batch));
    expect(backwardKernel.mock.results.every((result) => result.value === true)).toBe(true);
  });

  it('skips masked rows: one kernel call per run of unmasked rows of a step', () => {
    run(cell, 'float32', [5, 2, 4, 5]);
    // Steps 0 and 1: all four rows; steps 2 and 3: rows 0 and 2-3 (row 1 ended); step 4: row 0, then row 3.
    const runs = [[4], [4], [1, 2], [1, 2], [1, 1]];
    const starts = [[0], [0], [0, 2], [0, 2], [0, 3]];
    const expectedGateOffsets = runs.flatMap((_, step) =>
      starts[step].map((row) => (step * batch + row) * cell.gates * hiddenSize),
    );
    expect(forwardKernel.mock.calls.map((call) => call[forwardRows])).toEqual(runs.flat());
    expect(forwardKernel.mock.calls.map((call) => call[1])).toEqual(expectedGateOffsets);
    expect(backwardKernel.mock.calls.map((call) => call[backwardRows])).toEqual(runs.reverse().flat());
  });

  it('agrees with the TypeScript loops (jsKernels, where the kernels return false) to float32 rounding, masked or not', () => {
    for (const lengths of [null, [5, 2, 4, 5]]) {
      const simd = run(cell, 'float32', lengths);
      useKernels(jsKernels);
      forwardKernel.mockClear();
      const loops = run(cell, 'float32', lengths);
      expect(forwardKernel.mock.results.every((result) => result.value === false)).toBe(true);
      useKernels(null);
      expectClose(simd.y, loops.y, 1e-6);
      expectClose(simd.dx, loops.dx, 1e-5);
      expectClose(simd.grads, loops.grads, 1e-5);
    }
  });

  it('float64 never calls the kernels: its cell runs in the TypeScript loops', () => {
    run(cell, 'float64', null);
    run(cell, 'float64', [5, 2, 4, 5]);
    expect(forwardKernel).not.toHaveBeenCalled();
    expect(backwardKernel).not.toHaveBeenCalled();
  });
});
