import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentZeros } from '../resident.js';
import { reluBackwardResident, reluResident } from './elementwise-resident.js';

function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)]).data as Float32Array;
  array.set(values);
  return array;
}

// The ReLU layer's loops (@annet/layers activations/relu.ts), the reference: x·[x > 0] + 0 with
// NaN kept, and dy·[x > 0] + 0.
const reluOf = (value: number) => {
  const result = value * +(value > 0) + 0;
  return result === result ? result : value !== value ? value : 0;
};

const specials = fc.constantFrom(0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-45);
const values = (maxLength: number) =>
  fc.array(fc.oneof(fc.float({ min: -1e6, max: 1e6 }), specials), { minLength: 0, maxLength });

describe('reluResident and reluBackwardResident', () => {
  it('give the bits of the ReLU layer loops, signed zeros, infinities and NaN included, at any offset', () => {
    fc.assert(
      fc.property(values(41), values(41), fc.integer({ min: 0, max: 5 }), (xs, dys, offset) => {
        const size = Math.min(xs.length, dys.length);
        const x = resident([...new Array<number>(offset).fill(1), ...xs.slice(0, size)]);
        const dy = resident([...new Array<number>(offset).fill(2), ...dys.slice(0, size)]);
        const y = resident(new Float32Array(size).fill(9));
        const dx = resident(new Float32Array(size).fill(9));
        expect(reluResident(x, offset, y, size)).toBe(true);
        expect(reluBackwardResident(x, offset, dy, offset, dx, size)).toBe(true);
        for (let i = 0; i < size; i++) {
          expect(Object.is(y[i], Math.fround(reluOf(x[offset + i])))).toBe(true);
          expect(Object.is(dx[i], Math.fround(dy[offset + i] * +(x[offset + i] > 0) + 0))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('return false for ordinary arrays and refuse sizes that do not fit', () => {
    const y = resident([5, 5]);
    expect(reluResident(Float32Array.from([-1, 1]), 0, y, 2)).toBe(false);
    expect(Array.from(y)).toEqual([5, 5]);
    expect(() => reluResident(resident([1, 2]), 1, y, 2)).toThrow(
      'reluResident: size 2 from offset 1 does not fit x of 2 and y of 2 elements',
    );
    expect(() => reluBackwardResident(resident([1]), 0, resident([1, 2]), 0, y, 2)).toThrow(
      'reluBackwardResident: size 2 from offsets 0 and 0 does not fit x of 1, dy of 2 and dx of 2 elements',
    );
  });
});
