import { describe, expect, it } from 'vitest';
import { ioContext } from './io-context.js';
import { formatNpyHeader, parseNpyHeader } from './npy-header.js';

const context = ioContext('decodeNpy', 'a.npy');

describe('parseNpyHeader', () => {
  it('reads the dict literal NumPy writes, with its padding', () => {
    const header = parseNpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }          \n", context);
    expect(header).toEqual({ descr: '<f4', fortranOrder: false, shape: [2, 3] });
  });

  it('reads scalars, one-element tuples, any key order, double quotes and Python 2 longs', () => {
    expect(parseNpyHeader("{'shape': (), 'fortran_order': True, 'descr': '<f8'}", context).shape).toEqual([]);
    expect(parseNpyHeader('{"descr": "|u1", "fortran_order": False, "shape": (7,)}', context).shape).toEqual([7]);
    expect(parseNpyHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (3L, 4L), }", context).shape).toEqual([
      3, 4,
    ]);
  });

  it('names the problem and the file for malformed headers', () => {
    const cases: Array<[string, string]> = [
      [
        "{'descr': '<f4', 'fortran_order': False}",
        "exactly the keys 'descr', 'fortran_order' and 'shape', got 'descr', 'fortran_order'",
      ],
      ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", "duplicate key 'descr'"],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (5)}", 'a one-element shape must be written (n,)'],
      ["{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", "'fortran_order' must be True or False"],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", 'expected a non-negative integer'],
      [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999,)}",
        'integer 99999999999999999 is too large',
      ],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", 'unexpected text after the dictionary'],
      ["{'descr': '<f\\x34', 'fortran_order': False, 'shape': ()}", 'escape sequences are not supported'],
      ["{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2", "expected ',' or ')' in a tuple"],
      ["{'descr': __import__('os'), 'fortran_order': False, 'shape': ()}", 'expected a non-negative integer'],
      ['', "expected '{', found the end"],
    ];
    for (const [text, message] of cases) {
      expect(() => parseNpyHeader(text, context), text).toThrow(message);
      expect(() => parseNpyHeader(text, context), text).toThrow(/^decodeNpy: a\.npy: /);
    }
  });

  it('reports structured dtypes as unsupported', () => {
    expect(() => parseNpyHeader("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': ()}", context)).toThrow(
      'structured (record) arrays are not supported',
    );
  });

  it('refuses more than 64 dimensions', () => {
    const shape = `(${new Array(65).fill('1').join(', ')})`;
    expect(() => parseNpyHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}}`, context)).toThrow(
      'more than 64 dimensions',
    );
  });
});

describe('formatNpyHeader', () => {
  it('writes sorted keys and Python reprs of the values', () => {
    expect(formatNpyHeader({ descr: '<f4', fortranOrder: false, shape: [2, 3] })).toBe(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
    );
    expect(formatNpyHeader({ descr: '|u1', fortranOrder: false, shape: [3] })).toBe(
      "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
    );
    expect(formatNpyHeader({ descr: '<f8', fortranOrder: false, shape: [] })).toBe(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
    );
  });
});
