import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeArray, decodeNumber, encodeArray, encodeNumber } from './json-numbers.js';

describe('JSON numbers', () => {
  it('write the four values JSON cannot carry as strings', () => {
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1.5].map(encodeNumber)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      0,
      1.5,
    ]);
    expect(decodeNumber('nan')).toBeUndefined();
    expect(decodeNumber(null)).toBeUndefined();
  });

  it('round-trip every float64 bit for bit through JSON text (property)', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(Object.is(decodeNumber(JSON.parse(JSON.stringify(encodeNumber(value)))), value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trip every float32 array bit for bit through JSON text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float()), (values) => {
        const array = Float32Array.from(values);
        const back = decodeArray(JSON.parse(JSON.stringify(encodeArray(array))), 'float32') as Float32Array;
        expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(array.buffer));
      }),
      { numRuns: 200 },
    );
  });
});
