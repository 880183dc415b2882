import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../kernels/js-kernels.js';
import { useKernels } from '../kernels/kernel-selection.js';
import { residentZeros } from '../resident.js';
import { geluTanhResident } from './gelu-tanh.js';

const ulp = 2 ** -23;

/** The formula, in float64 with Math.tanh: the naive reference. */
function reference(x: number): { value: number; slope: number } {
  const c = Math.sqrt(2 / Math.PI);
  const t = Math.tanh(c * (x + 0.044715 * x ** 3));
  return { value: 0.5 * x * (1 + t), slope: 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x) };
}

function resident(values: readonly number[]): Float32Array {
  const array = residentZeros([Math.max(1, values.length)], 'float32').data as Float32Array;
  array.set(values);
  return array;
}

describe('geluTanhResident', () => {
  it('matches the float64 formula to a few float32 ulps, for every length (SIMD body and scalar tail) and offset', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -12, max: 12, noNaN: true }), { minLength: 0, maxLength: 41 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (values, offset, withSlope) => {
          const input = resident([...new Array(offset).fill(3), ...values]);
          const output = resident(new Array(values.length).fill(0));
          const slope = withSlope ? resident(new Array(values.length).fill(0)) : null;
          expect(geluTanhResident(input, offset, output, slope, values.length)).toBe(true);
          for (let index = 0; index < values.length; index++) {
            const x = input[offset + index];
            const expected = reference(x);
            // |y| ≤ |x| and |dy/dx| ≤ 1.13: errors of a few ulps of max(1, |x|).
            const scale = Math.max(1, Math.abs(x));
            expect(Math.abs(output[index] - expected.value), `x = ${x}`).toBeLessThanOrEqual(4 * ulp * scale);
            if (slope !== null)
              expect(Math.abs(slope[index] - expected.slope), `x = ${x}`).toBeLessThanOrEqual(8 * ulp * scale);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is exactly 0 for very negative x and x for very positive x, keeps NaN, and works in place', () => {
    const values = [-20, -1e30, 20, 1e30, Number.NaN, -0, 1];
    const data = resident(values);
    expect(geluTanhResident(data, 0, data, null, values.length)).toBe(true);
    expect(data[0] === 0 && data[1] === 0).toBe(true);
    expect([data[2], data[3]]).toEqual([20, Math.fround(1e30)]);
    expect(data[4]).toBeNaN();
    expect(data[5] === 0).toBe(true);
    expect(data[6]).toBeCloseTo(0.8411919906, 6); // ½(1 + tanh(√(2/π)·1.044715))
  });

  it('does nothing and returns false for arrays outside the kernel memory, or on the TypeScript kernels', () => {
    const input = Float32Array.from([1, 2, 3, 4, 5]);
    const output = new Float32Array(5);
    expect(geluTanhResident(input, 0, output, null, 5)).toBe(false);
    expect(geluTanhResident(resident([1, 2, 3, 4, 5]), 0, output, null, 5)).toBe(false);
    expect(Array.from(output)).toEqual([0, 0, 0, 0, 0]);
    const previous = useKernels(jsKernels);
    try {
      const residentOutput = resident([0, 0, 0, 0, 0]);
      expect(geluTanhResident(resident([1, 2, 3, 4, 5]), 0, residentOutput, null, 5)).toBe(false);
      expect(Array.from(residentOutput)).toEqual([0, 0, 0, 0, 0]);
    } finally {
      useKernels(previous);
    }
  });

  it('refuses sizes that do not fit the arrays, naming them', () => {
    const [input, output] = [resident([1, 2, 3]), resident([0, 0])];
    expect(() => geluTanhResident(input, 0, output, null, 3)).toThrow(
      'geluTanhResident: size 3 from inputOffset 0 does not fit input (3), output (2) elements',
    );
    expect(() => geluTanhResident(input, 2, input, null, 2)).toThrow('inputOffset 2');
    expect(() => geluTanhResident(input, 0, input, output, 3)).toThrow('slope (2)');
  });
});
