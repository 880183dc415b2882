import { columnSumsResident, createRng, jsKernels, residentZeros, Tensor, useKernels } from '@annet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { Dense } from './dense.js';

afterEach(() => {
  useKernels(null);
});

/** db[j] = Σ_rows dY[row, j], summed in float64 down the rows and rounded once: the definition, computed here. */
function columnSums(values: Float32Array, rows: number, columns: number): number[] {
  const sums: number[] = [];
  for (let column = 0; column < columns; column++) {
    let total = 0;
    for (let row = 0; row < rows; row++) total += values[row * columns + column];
    sums.push(Math.fround(total));
  }
  return sums;
}

describe('Dense bias gradient (linear)', () => {
  // 12 and 20 columns end in a block of four (summed by the SIMD pass as an overlapping block of
  // eight), 16 is whole blocks, 10 is not a multiple of 4 (the TypeScript loop), 4 is below 8.
  for (const outputSize of [4, 10, 12, 16, 20]) {
    it(`is the float64 column sum of dY rounded once, bit for bit, for ${outputSize} outputs, resident or not, on both kernel sets`, () => {
      const rows = 37;
      const rng = createRng(outputSize);
      const values = Float32Array.from({ length: rows * outputSize }, () => 1000 * (rng.uniform() - 0.5));
      const expected = columnSums(values, rows, outputSize);
      for (const kernels of [null, jsKernels]) {
        useKernels(kernels);
        const residentGradient = residentZeros([rows, outputSize], 'float32');
        (residentGradient.data as Float32Array).set(values);
        for (const dy of [residentGradient, new Tensor(values, [rows, outputSize])]) {
          const dense = new Dense(3, outputSize, { seed: 1 });
          dense.forward(new Tensor(new Float32Array(rows * 3).fill(0.5), [rows, 3]), { training: true });
          dense.backward(dy);
          expect(Array.from(dense.parameters()[1].grad)).toEqual(expected); // [weights, biases]
        }
      }
    });
  }

  it('takes the SIMD pass where it applies (resident float32, a multiple of 4 columns, at least 8)', () => {
    // The precondition of the cases above: on the selected kernels the resident 12-, 16- and
    // 20-column gradients go through the WebAssembly pass, the 4- and 10-column ones do not.
    for (const columns of [4, 10, 12, 16, 20]) {
      const x = residentZeros([3, columns], 'float32').data as Float32Array;
      const out = residentZeros([columns], 'float32').data as Float32Array;
      expect(columnSumsResident(x, out, 3, columns)).toBe(columns % 4 === 0 && columns >= 8);
    }
  });
});
