import fc from 'fast-check';
import { logSoftmax, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { logSoftmaxRows } from './log-softmax-rows.js';

/** The values with −0 spelled out, since toEqual takes −0 for +0. */
function bits(values: ArrayLike<number>): (number | string)[] {
  return Array.from(values, (value) => (Object.is(value, -0) ? '-0' : value));
}

const logitArbitrary = fc.oneof(
  { weight: 10, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(1e4, -1e4, -0, Infinity, -Infinity, Number.NaN) },
);

describe('logSoftmaxRows', () => {
  it('works out by hand', () => {
    // z = [0, ln 3]: log Σ e^z = ln 4, log p = [−ln 4, ln 3 − ln 4].
    const out = new Float64Array(3);
    logSoftmaxRows(Float64Array.from([0, Math.log(3)]), 0, out, 1, 1, 2);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(-Math.log(4), 15);
    expect(out[2]).toBeCloseTo(Math.log(3 / 4), 15);
  });

  it('gives the bits of the logSoftmax op, NaN and infinities included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 11 }),
        fc.constantFrom('float32' as const, 'float64' as const),
        fc.array(logitArbitrary, { minLength: 66, maxLength: 66 }),
        (rows, classes, dtype, values) => {
          const logits = values.slice(0, rows * classes);
          const data = dtype === 'float32' ? Float32Array.from(logits) : Float64Array.from(logits);
          const expected = logSoftmax(new Tensor(data, [rows, classes]), -1).data;
          const out = dtype === 'float32' ? new Float32Array(data.length) : new Float64Array(data.length);
          logSoftmaxRows(data, 0, out, 0, rows, classes);
          expect(bits(out)).toEqual(bits(expected));
          // In place, over the logits themselves.
          const copy = data.slice();
          logSoftmaxRows(copy, 0, copy, 0, rows, classes);
          expect(bits(copy)).toEqual(bits(expected));
        },
      ),
      { seed: 31, numRuns: 400 },
    );
  });
});
