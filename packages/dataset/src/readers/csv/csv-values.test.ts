import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryCodes, parseNumber } from './csv-values.js';

describe('parseNumber', () => {
  it('gives exactly what Number gives for every decimal text (the reference)', () => {
    const decimal = fc.tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^[0-9]{1,20}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,20}$/), { nil: undefined }),
    );
    fc.assert(
      fc.property(decimal, ([sign, whole, fraction]) => {
        const text = `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
        expect(Object.is(parseNumber(text), Number(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        for (const text of [String(value), value.toFixed(4), value.toPrecision(7)])
          expect(Object.is(parseNumber(text), Number(text))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads NaN and infinity spellings and rejects blanks and words (hand-listed)', () => {
    expect(parseNumber('NaN')).toBeNaN();
    expect(parseNumber('-nan')).toBeNaN();
    expect(parseNumber('inf')).toBe(Infinity);
    expect(parseNumber('-Infinity')).toBe(-Infinity);
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(parseNumber(' 7 ')).toBe(7);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    for (const text of ['', ' ', '.', '-', '1.2.3', 'abc', '1,5', '--1']) expect(parseNumber(text)).toBeUndefined();
  });
});

describe('CategoryCodes', () => {
  it('renumbers first-seen codes by sorted name, or keeps a fixed list', () => {
    const growing = new CategoryCodes(undefined);
    expect(['red', 'blue', 'red', 'green'].map((name) => growing.code(name))).toEqual([0, 1, 0, 2]);
    expect(growing.classes).toEqual(['blue', 'green', 'red']);
    expect(Array.from(growing.sortedRemap()!)).toEqual([2, 0, 1]);
    const fixed = new CategoryCodes(['b', 'a']);
    expect([fixed.code('a'), fixed.code('z')]).toEqual([1, -1]);
    expect(fixed.sortedRemap()).toBeUndefined();
  });
});
