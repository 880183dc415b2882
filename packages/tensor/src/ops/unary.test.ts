import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../create.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import {
  dtypeArbitrary,
  elementsOf,
  layoutArbitrary,
  shapeArbitrary,
  storedAs,
  tensorWithLayout,
  valuesFor,
} from '../testing/arbitraries.js';
import { cast } from './cast.js';
import { abs, clip, exp, log, log1p, neg, reciprocal, relu, sigmoid, sign, sqrt, square, tanh } from './unary.js';

type UnaryFunction = (x: Tensor, options?: { out?: Tensor }) => Tensor;
/** [name, op, reference on one element, keeps int32?] */
const cases: Array<[string, UnaryFunction, (x: number) => number, boolean]> = [
  ['neg', neg, (x) => -x, true],
  ['abs', abs, (x) => (x < 0 ? -x : x), true],
  ['exp', exp, (x) => Math.E ** x, false],
  ['log', log, Math.log, false],
  ['log1p', log1p, Math.log1p, false],
  ['sqrt', sqrt, (x) => x ** 0.5, false],
  ['square', square, (x) => x * x, true],
  ['reciprocal', reciprocal, (x) => 1 / x, false],
  ['sign', sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : x), true],
  ['tanh', tanh, Math.tanh, false],
  ['sigmoid', sigmoid, (x) => 1 / (1 + Math.exp(-x)), false],
  ['relu', relu, (x) => (x > 0 ? x : 0), true],
];

describe('unary ops', () => {
  for (const [name, op, reference, keepsInt] of cases) {
    it(`${name} matches an element-by-element reference over dtypes, shapes and strided views`, () => {
      fc.assert(
        fc.property(shapeArbitrary(), dtypeArbitrary, layoutArbitrary, fc.nat(), (shape, dtype, layout, seed) => {
          const values = valuesFor(
            dtype,
            shape.reduce((a, b) => a * b, 1),
            seed,
          );
          const x = tensorWithLayout(values, shape, dtype, layout);
          const resultDType: DType = dtype === 'int32' && !keepsInt ? 'float32' : dtype;
          const result = op(x);
          expect(result.dtype).toBe(resultDType);
          expect(result.shape).toEqual(shape);
          const got = elementsOf(result);
          const expected = storedAs(resultDType, elementsOf(x).map(reference));
          // exp and sigmoid: Math.E ** x and the textbook formula may differ from Math.exp in the last bit.
          got.forEach((value, index) => {
            if (!Number.isFinite(expected[index])) expect(value).toBe(expected[index]);
            else expect(Math.abs(value - expected[index])).toBeLessThanOrEqual(Math.abs(expected[index]) * 4e-16);
          });
        }),
        { numRuns: 40 },
      );
    });
  }

  it('computes hand-checked values', () => {
    expect(relu(tensor([-1, 0, 2])).toArray()).toEqual([0, 0, 2]);
    expect(sign(tensor([-3, 0, 3], { dtype: 'int32' })).toArray()).toEqual([-1, 0, 1]);
    expect(sqrt(tensor([4, 9, -1])).toArray()).toEqual([2, 3, NaN]);
    expect(log(tensor([1, 0])).toArray()).toEqual([0, -Infinity]);
    expect(abs(tensor([-2.5, 2.5])).toArray()).toEqual([2.5, 2.5]);
    expect(square(tensor([65536], { dtype: 'int32' })).toArray()).toEqual([0]); // 2^32 wraps to 0
    expect(reciprocal(tensor([4], { dtype: 'int32' })).toArray()).toEqual([0.25]);
  });

  it('keeps sigmoid finite and exact at the extremes (no exp overflow)', () => {
    const result = sigmoid(tensor([-1000, -30, 0, 30, 1000], { dtype: 'float64' })).toArray() as number[];
    expect(result[0]).toBe(0);
    expect(result[1]).toBeCloseTo(9.357622968840175e-14, 25); // e^-30 / (1 + e^-30)
    expect(result[2]).toBe(0.5);
    expect(result[4]).toBe(1);
    expect(result.every(Number.isFinite)).toBe(true);
  });

  it('computes log1p accurately near zero where log(1 + x) loses every digit', () => {
    expect(log1p(tensor([1e-18], { dtype: 'float64' })).item()).toBe(1e-18);
  });

  it('clips to [low, high], keeping NaN, and rejects bad bounds', () => {
    expect(clip(tensor([-5, 0.5, 5, NaN]), -1, 1).toArray()).toEqual([-1, 0.5, 1, NaN]);
    expect(clip(tensor([-5, 5], { dtype: 'int32' }), 0, 3).toArray()).toEqual([0, 3]);
    expect(() => clip(tensor([1]), 2, 1)).toThrow('clip: expected numbers low <= high, got low 2 and high 1');
    expect(() => clip(tensor([1]), NaN, 1)).toThrow('clip: expected numbers low <= high');
  });

  it('writes into out, in place or into a strided view', () => {
    const x = tensor([-1, 2, -3]);
    expect(relu(x, { out: x })).toBe(x);
    expect(x.toArray()).toEqual([0, 2, 0]);
    const parent = zeros([6]);
    neg(tensor([1, 2, 3]), { out: parent.slice([null, null, 2]) });
    expect(parent.toArray()).toEqual([-1, 0, -2, 0, -3, 0]);
    expect(() => exp(tensor([1], { dtype: 'int32' }), { out: zeros([1], 'int32') })).toThrow(
      'exp: out has dtype int32; the result is float32',
    );
    expect(() => neg([1] as never)).toThrow('neg: x must be a Tensor, got an array; wrap values with tensor(...)');
  });
});

describe('cast', () => {
  it('converts between dtypes with typed-array rounding rules, always copying', () => {
    const x = tensor([1.7, -1.7, 2 ** 31], { dtype: 'float64' });
    expect(cast(x, 'int32', { outOfRange: 'wrap' }).toArray()).toEqual([1, -1, -(2 ** 31)]);
    expect(cast(tensor([0.1], { dtype: 'float64' }), 'float32').item()).toBe(Math.fround(0.1));
    const same = cast(x, 'float64');
    expect(same.data).not.toBe(x.data);
    expect(same.toArray()).toEqual(x.toArray());
    expect(() => cast(x, 'uint8' as never)).toThrow(
      "cast: unknown dtype \"uint8\"; expected 'float32', 'float64' or 'int32'",
    );
  });

  it('matches a reference conversion for any dtype pair and layout', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(),
        dtypeArbitrary,
        dtypeArbitrary,
        layoutArbitrary,
        fc.nat(),
        (shape, from, to, layout, seed) => {
          const x = tensorWithLayout(
            valuesFor(
              from,
              shape.reduce((a, b) => a * b, 1),
              seed,
            ),
            shape,
            from,
            layout,
          );
          expect(elementsOf(cast(x, to))).toEqual(storedAs(to, elementsOf(x)));
        },
      ),
      { numRuns: 40 },
    );
  });
});
