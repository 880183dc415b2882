import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentZeros } from '../resident.js';
import { addResident, columnSumsResident, multiplyResident } from './elementwise-resident.js';

function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)], 'float32').data as Float32Array;
  array.set(values);
  return array;
}

const floats = (maxLength: number) =>
  fc.array(fc.float({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 0, maxLength });

describe('addResident, multiplyResident and columnSumsResident', () => {
  it('add and multiply give exactly the float32-rounded sum and product, for every length', () => {
    fc.assert(
      fc.property(floats(37), (values) => {
        const a = resident(values);
        const b = resident(values.map((value, index) => value * 0.37 - index));
        const [sum, product] = [resident(new Float32Array(values.length)), resident(new Float32Array(values.length))];
        expect(addResident(a, b, sum, values.length)).toBe(true);
        expect(multiplyResident(a, b, product, values.length)).toBe(true);
        for (let index = 0; index < values.length; index++) {
          expect(sum[index]).toBe(Math.fround(a[index] + b[index]));
          expect(product[index]).toBe(Math.fround(a[index] * b[index]));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('column sums equal a plain float64 loop down the rows, rounded once to float32, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        // 8 to 48 columns: whole blocks of eight and a last block of four (summed as an overlapping block of eight).
        fc.integer({ min: 2, max: 12 }).map((quarter) => 4 * quarter),
        fc.integer({ min: 0, max: 1e6 }),
        (rows, columns, seed) => {
          const x = resident(Array.from({ length: rows * columns }, (_, i) => 100 * Math.sin(seed + 0.77 * i)));
          const out = resident(new Float32Array(columns).fill(7));
          expect(columnSumsResident(x, out, rows, columns)).toBe(true);
          for (let column = 0; column < columns; column++) {
            let total = 0;
            for (let row = 0; row < rows; row++) total += x[row * columns + column];
            expect(out[column]).toBe(Math.fround(total));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('return false and write nothing for ordinary arrays, columns that are not a multiple of 4 or fewer than 8; refuse sizes that do not fit', () => {
    const out = resident([9, 9, 9, 9]);
    expect(addResident(Float32Array.from([1, 2, 3]), resident([1, 2, 3]), out, 3)).toBe(false);
    expect(columnSumsResident(resident([1, 2, 3, 4, 5, 6]), out, 2, 3)).toBe(false);
    expect(columnSumsResident(resident([1, 2, 3, 4, 5, 6, 7, 8]), out, 2, 4)).toBe(false);
    expect(Array.from(out)).toEqual([9, 9, 9, 9]);
    expect(() => multiplyResident(resident([1, 2]), resident([1, 2, 3]), out, 3)).toThrow(
      'multiplyResident: size 3 does not fit arrays of 2, 3 and 4 elements',
    );
    expect(() => columnSumsResident(resident([1, 2, 3, 4]), out, 1, 5)).toThrow(
      'columnSumsResident: rows 1 × columns 5 do not fit x of 4 and out of 4 elements',
    );
  });
});
