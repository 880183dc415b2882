import fc from 'fast-check';
import { sum, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { differentiateActivation } from './dense-activation.js';
import { activationGradientAndBiasSum, sumRows } from './dense-gradient.js';

const activations = ['relu', 'sigmoid', 'tanh'] as const;

/** Rows, width, dtype and values (with zeros, −0 and some exact ties at y = 0 for the ReLU mask). */
const caseArbitrary = fc
  .record({
    rows: fc.integer({ min: 1, max: 9 }),
    // Widths below, at and past the four-column blocks and their remainder.
    width: fc.integer({ min: 1, max: 13 }),
    dtype: fc.constantFrom('float32' as const, 'float64' as const),
    seed: fc.integer({ min: 0, max: 1 << 30 }),
  })
  .map(({ rows, width, dtype, seed }) => {
    // A small linear congruential generator, so a case is a function of its seed.
    let state = seed >>> 0;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = () => {
      const u = next();
      return u < 0.1 ? 0 : u < 0.15 ? -0 : (next() - 0.5) * 8;
    };
    const make = () => {
      const values = Array.from({ length: rows * width }, pick);
      return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
    };
    return { rows, width, dtype, output: make(), outputGradient: make() };
  });

/** The values with −0 spelled out, since toEqual takes −0 for +0. */
function bits(values: Float32Array | Float64Array): (number | string)[] {
  return Array.from(values, (value) => (Object.is(value, -0) ? '-0' : value));
}

/** The old path: `differentiateActivation`, then the `sum` op over the rows. */
function separatePasses(
  activation: (typeof activations)[number],
  output: Float32Array | Float64Array,
  outputGradient: Float32Array | Float64Array,
  rows: number,
  width: number,
): { dz: Float32Array | Float64Array; db: Float32Array | Float64Array } {
  const dz = new (output.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows * width);
  differentiateActivation(activation, output, outputGradient, 0, dz, rows * width);
  const db = sum(new Tensor(dz, [rows, width]), 0).data as Float32Array | Float64Array;
  return { dz, db };
}

describe('Dense gradient sweep', () => {
  it('masks and sums a ReLU gradient worked out by hand', () => {
    // y = [[1, 0, 2], [0, 3, 4]], dy = [[1, 2, 3], [4, 5, −6]]: dz = dy·[y > 0] = [[1, 0, 3], [0, 5, −6]],
    // db = column sums = [1 + 0, 0 + 5, 3 − 6] = [1, 5, −3]; written from biasGradient[1] on.
    const y = Float32Array.from([1, 0, 2, 0, 3, 4]);
    const dy = Float32Array.from([9, 1, 2, 3, 4, 5, -6]);
    const dz = new Float32Array(6);
    const db = new Float32Array(4).fill(-1);
    activationGradientAndBiasSum('relu', y, dy, 1, dz, 2, 3, db, 1);
    expect(Array.from(dz)).toEqual([1, 0, 3, 0, 5, -6]);
    expect(Array.from(db)).toEqual([-1, 1, 5, -3]);
  });

  it('gives the sigmoid and tanh derivatives worked out by hand', () => {
    // y = [0.5, 0.25]: sigmoid f′ = y(1 − y) = [0.25, 0.1875]; tanh f′ = 1 − y² = [0.75, 0.9375].
    // dy = [2, 4] over one row: dz = db = [0.5, 0.75] and [1.5, 3.75].
    const y = Float64Array.from([0.5, 0.25]);
    const dy = Float64Array.from([2, 4]);
    const dz = new Float64Array(2);
    const db = new Float64Array(2);
    activationGradientAndBiasSum('sigmoid', y, dy, 0, dz, 1, 2, db, 0);
    expect([Array.from(dz), Array.from(db)]).toEqual([
      [0.5, 0.75],
      [0.5, 0.75],
    ]);
    activationGradientAndBiasSum('tanh', y, dy, 0, dz, 1, 2, db, 0);
    expect([Array.from(dz), Array.from(db)]).toEqual([
      [1.5, 3.75],
      [1.5, 3.75],
    ]);
  });

  it('gives the bits of differentiateActivation followed by sum over the rows (same operations, same order)', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.constantFrom(...activations), (generated, activation) => {
        const { rows, width, output, outputGradient } = generated;
        const expected = separatePasses(activation, output, outputGradient, rows, width);
        const dz = new (output.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(rows * width);
        const db = new (output.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(width);
        activationGradientAndBiasSum(activation, output, outputGradient, 0, dz, rows, width, db, 0);
        expect(bits(dz)).toEqual(bits(expected.dz));
        expect(bits(db)).toEqual(bits(expected.db));
      }),
      { seed: 20, numRuns: 300 },
    );
  });

  it('computes dZ without a bias gradient too, through the four-column block and the remainder', () => {
    // Width 5: columns 0–3 in a block, column 4 alone. dz = dy·[y > 0].
    const dz = new Float32Array(5);
    const y = Float32Array.from([1, 0, 2, 0, 3]);
    const dy = Float32Array.from([3, 4, -5, 6, -7]);
    activationGradientAndBiasSum('relu', y, dy, 0, dz, 1, 5, undefined, 0);
    expect(Array.from(dz)).toEqual([3, 0, -5, 0, -7]);
  });

  it('sumRows gives the bits of sum over axis 0', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.integer({ min: 0, max: 3 }), (generated, offset) => {
        const { rows, width, dtype, outputGradient } = generated;
        const padded = new (outputGradient.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(
          offset + rows * width,
        );
        padded.set(outputGradient, offset);
        const expected = sum(new Tensor(outputGradient, [rows, width]), 0);
        const out = new (padded.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(width + 1);
        sumRows(padded, offset, rows, width, new Float64Array(width).fill(-2), out, 1);
        expect(expected.dtype).toBe(dtype);
        expect(bits(out.subarray(1))).toEqual(bits(expected.data as Float32Array | Float64Array));
      }),
      { seed: 21, numRuns: 300 },
    );
  });
});
