import {
  columnSumsResident,
  createRng,
  jsKernels,
  reluBackwardResident,
  residentZeros,
  Tensor,
  useKernels,
} from '@annet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { activationGradientAndBiasSum } from './dense-gradient.js';
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

  it('ReLU: dZ = dY·[Y > 0] + 0 and db = Σ dZ in float64 row order, bit for bit, in the SIMD passes (resident) and the TypeScript loop', () => {
    for (const outputSize of [8, 12, 20, 10]) {
      const rows = 29;
      const rng = createRng(100 + outputSize);
      const input = residentZeros([rows, 5], 'float32');
      (input.data as Float32Array).set(Float32Array.from({ length: rows * 5 }, () => rng.uniform() - 0.5));
      const dy = residentZeros([rows, outputSize], 'float32');
      (dy.data as Float32Array).set(
        Float32Array.from({ length: rows * outputSize }, () => 100 * (rng.uniform() - 0.5)),
      );
      const dense = new Dense(5, outputSize, { seed: 2, activation: 'relu', biasInitializer: 'normal' });
      const y = dense.forward(input, { training: true });
      // The precondition: on these arrays the SIMD ReLU pass applies.
      expect(
        reluBackwardResident(
          y.data as Float32Array,
          0,
          dy.data as Float32Array,
          0,
          residentZeros([rows, outputSize], 'float32').data as Float32Array,
          y.size,
        ),
      ).toBe(true);
      const expectedDz = new Float32Array(rows * outputSize);
      const expectedDb = new Float32Array(outputSize);
      activationGradientAndBiasSum(
        'relu',
        y.data as Float32Array,
        dy.data as Float32Array,
        0,
        expectedDz,
        rows,
        outputSize,
        expectedDb,
        0,
      );
      dense.backward(dy);
      expect(Array.from(dense.parameters()[1].grad)).toEqual(Array.from(expectedDb));
      // The same layer on ordinary arrays (the TypeScript loop) writes the same bias gradient.
      const reference = new Dense(5, outputSize, { seed: 2, activation: 'relu', biasInitializer: 'normal' });
      reference.forward(new Tensor((input.data as Float32Array).slice(), [rows, 5]), { training: true });
      reference.backward(new Tensor((dy.data as Float32Array).slice(), [rows, outputSize]));
      expect(Array.from(dense.parameters()[1].grad)).toEqual(Array.from(reference.parameters()[1].grad));
    }
  });
});
