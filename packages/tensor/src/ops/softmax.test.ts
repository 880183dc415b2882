import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../create.js';
import {
  elementsOf,
  indicesOf,
  layoutArbitrary,
  shapeArbitrary,
  tensorWithLayout,
  valuesFor,
} from '../testing/arbitraries.js';
import { logSoftmax, softmax } from './softmax.js';

/** Textbook softmax of every slice along `axis`, computed by index (no max shift: inputs are small). */
function referenceSoftmax(x: ReturnType<typeof tensorWithLayout>, axis: number): number[] {
  return indicesOf(x.shape).map((index) => {
    let total = 0;
    for (let k = 0; k < x.shape[axis]; k++) {
      const other = index.slice();
      other[axis] = k;
      total += Math.exp(x.get(...other));
    }
    return Math.exp(x.get(...index)) / total;
  });
}

describe('softmax and logSoftmax', () => {
  it('match the textbook formula along any axis, for strided views, float32 and float64', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(1, 3, 4),
        fc.nat(),
        layoutArbitrary,
        fc.constantFrom('float32' as const, 'float64' as const),
        fc.nat(),
        (shape, axisSeed, layout, dtype, seed) => {
          const axis = axisSeed % shape.length;
          const x = tensorWithLayout(
            valuesFor(
              dtype,
              shape.reduce((a, b) => a * b, 1),
              seed,
            ),
            shape,
            dtype,
            layout,
          );
          const expected = referenceSoftmax(x, axis);
          const tolerance = dtype === 'float64' ? 1e-14 : 1e-6;
          const probabilities = elementsOf(softmax(x, axis - (seed % 2) * shape.length));
          const logProbabilities = elementsOf(logSoftmax(x, axis));
          expected.forEach((value, index) => {
            expect(Math.abs(probabilities[index] - value)).toBeLessThanOrEqual(tolerance);
            expect(Math.abs(logProbabilities[index] - Math.log(value))).toBeLessThanOrEqual(tolerance * 10);
          });
        },
      ),
      { numRuns: 80 },
    );
  });

  it('computes hand-checked values and never overflows', () => {
    // softmax([0, ln 3]) = [1/4, 3/4]
    const probabilities = softmax(tensor([0, Math.log(3)], { dtype: 'float64' })).toArray() as number[];
    expect(probabilities[0]).toBeCloseTo(0.25, 15);
    expect(probabilities[1]).toBeCloseTo(0.75, 15);
    expect(softmax(tensor([[1000, 1000, 1000]])).toArray()).toEqual([[1 / 3, 1 / 3, 1 / 3].map(Math.fround)]);
    expect(logSoftmax(tensor([0, -1000], { dtype: 'float64' })).toArray()).toEqual([0, -1000]);
    // Along axis 0 each column is [a, a + 2]: softmax = [1 / (1 + e²), 1 / (1 + e⁻²)] = [0.1192029, 0.8807971]
    const columns = softmax(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      0,
    ).toArray() as number[][];
    expect(columns.flat().map((value) => Math.round(value * 1e7) / 1e7)).toEqual([
      0.1192029, 0.1192029, 0.8807971, 0.8807971,
    ]);
    expect(softmax(tensor([1, 2, 3], { dtype: 'int32' })).dtype).toBe('float32');
  });

  it('writes into out and rejects bad axes', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const out = zeros([2, 2]);
    expect(softmax(x, -1, { out })).toBe(out);
    expect(sumRows(out.toArray() as number[][])).toEqual([1, 1]);
    expect(() => softmax(x, 2)).toThrow('softmax: axis 2 is out of range for a tensor of rank 2');
    expect(() => logSoftmax(tensor(3))).toThrow('logSoftmax: axis -1 is out of range for a tensor of rank 0');
  });
});

function sumRows(rows: number[][]): number[] {
  return rows.map((row) => Math.round(row.reduce((a, b) => a + b, 0) * 1e6) / 1e6);
}
