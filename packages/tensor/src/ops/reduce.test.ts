import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../create.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import {
  dtypeArbitrary,
  elementsOf,
  indicesOf,
  layoutArbitrary,
  shapeArbitrary,
  storedAs,
  tensorWithLayout,
  valuesFor,
} from '../testing/arbitraries.js';
import { logSumExp, std, variance } from './moments.js';
import { argmax, argmin, max, mean, min, prod, sum } from './reduce.js';

/** The elements of each result block, gathered by index: the reference's view of a reduction. */
function blocks(x: Tensor, axes: number[], keepDims: boolean): { shape: number[]; blocks: number[][] } {
  const reduced = new Set(axes);
  const keptAxes = x.shape.map((_, axis) => axis).filter((axis) => !reduced.has(axis));
  const shape = keepDims
    ? x.shape.map((dimension, axis) => (reduced.has(axis) ? 1 : dimension))
    : keptAxes.map((axis) => x.shape[axis]);
  const result = indicesOf(keptAxes.map((axis) => x.shape[axis])).map((keptIndex) =>
    indicesOf(axes.map((axis) => x.shape[axis])).map((reducedIndex) => {
      const index = new Array<number>(x.rank);
      keptAxes.forEach((axis, position) => (index[axis] = keptIndex[position]));
      axes.forEach((axis, position) => (index[axis] = reducedIndex[position]));
      return x.get(...index);
    }),
  );
  return { shape, blocks: result };
}

const sumOf = (values: number[]) => values.reduce((total, value) => total + value, 0);
const meanOf = (values: number[]) => sumOf(values) / values.length;
const varianceOf = (values: number[]) => sumOf(values.map((value) => (value - meanOf(values)) ** 2)) / values.length;
const argOf = (values: number[], better: (a: number, b: number) => boolean) =>
  values.reduce((best, value, index) => (better(value, values[best]) ? index : best), 0);

type Reduction = (x: Tensor, axis?: number | number[] | null, keepDims?: boolean) => Tensor;
/** [name, op, reference per block, result dtype for an input dtype, needs elements] */
const cases: Array<[string, Reduction, (values: number[]) => number, (dtype: DType) => DType, boolean]> = [
  ['sum', sum, sumOf, (dtype) => dtype, false],
  ['prod', prod, (values) => values.reduce((total, value) => total * value, 1), (dtype) => dtype, false],
  ['mean', mean, meanOf, (dtype) => (dtype === 'int32' ? 'float32' : dtype), false],
  ['max', max, (values) => Math.max(...values), (dtype) => dtype, true],
  ['min', min, (values) => Math.min(...values), (dtype) => dtype, true],
  ['variance', variance, varianceOf, (dtype) => (dtype === 'int32' ? 'float32' : dtype), false],
  ['std', std, (values) => Math.sqrt(varianceOf(values)), (dtype) => (dtype === 'int32' ? 'float32' : dtype), false],
];

/** A tensor, a subset of its axes (written positive or negative, in any order) and keepDims. */
const problemArbitrary = shapeArbitrary(0, 4, 3).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    axes: fc
      .subarray([...shape.keys()])
      .chain((axes) => fc.shuffledSubarray(axes, { minLength: axes.length, maxLength: axes.length })),
    negative: fc.boolean(),
    all: fc.boolean(),
    keepDims: fc.boolean(),
    dtype: dtypeArbitrary,
    layout: layoutArbitrary,
    seed: fc.nat(),
  }),
);

describe('reductions', () => {
  for (const [name, op, reference, resultDType, needsElements] of cases) {
    it(`${name} matches a per-block reference over random axes, keepDims, dtypes and strided views`, () => {
      fc.assert(
        fc.property(problemArbitrary, (p) => {
          const x = tensorWithLayout(
            valuesFor(
              p.dtype,
              p.shape.reduce((a, b) => a * b, 1),
              p.seed,
            ),
            p.shape,
            p.dtype,
            p.layout,
          );
          const axes = p.all ? [...p.shape.keys()] : p.axes;
          const expected = blocks(
            x,
            [...axes].sort((a, b) => a - b),
            p.keepDims,
          );
          if (needsElements && expected.blocks.length > 0 && expected.blocks[0].length === 0) return;
          const argument = p.all ? undefined : p.negative ? axes.map((axis) => axis - p.shape.length) : axes;
          const result = op(x, argument, p.keepDims);
          expect(result.shape).toEqual(expected.shape);
          expect(result.dtype).toBe(resultDType(p.dtype));
          expect(elementsOf(result)).toEqual(storedAs(resultDType(p.dtype), expected.blocks.map(reference)));
        }),
        { numRuns: 60 },
      );
    });
  }

  for (const [name, op, better] of [
    ['argmax', argmax, (a: number, b: number) => a > b],
    ['argmin', argmin, (a: number, b: number) => a < b],
  ] as const) {
    it(`${name} returns the first best index along one axis, as int32`, () => {
      fc.assert(
        fc.property(
          shapeArbitrary(1, 3, 3),
          fc.nat(),
          fc.boolean(),
          layoutArbitrary,
          fc.nat(),
          (shape, axisSeed, keepDims, layout, seed) => {
            const axis = axisSeed % shape.length;
            if (shape[axis] === 0) return;
            const x = tensorWithLayout(
              valuesFor(
                'int32',
                shape.reduce((a, b) => a * b, 1),
                seed,
              ),
              shape,
              'float32',
              layout,
            );
            const expected = blocks(x, [axis], keepDims);
            const result = op(x, axis, keepDims);
            expect(result.dtype).toBe('int32');
            expect(result.shape).toEqual(expected.shape);
            expect(elementsOf(result)).toEqual(expected.blocks.map((values) => argOf(values, better)));
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('logSumExp matches log(Σ exp x) where that does not overflow', () => {
    fc.assert(
      fc.property(problemArbitrary, (p) => {
        const x = tensorWithLayout(
          valuesFor(
            p.dtype,
            p.shape.reduce((a, b) => a * b, 1),
            p.seed,
          ),
          p.shape,
          p.dtype,
          p.layout,
        );
        const expected = blocks(
          x,
          [...p.axes].sort((a, b) => a - b),
          p.keepDims,
        );
        const result = logSumExp(x, p.axes, p.keepDims);
        const tolerance = result.dtype === 'float64' ? 1e-13 : 1e-6;
        elementsOf(result).forEach((value, index) => {
          const naive = Math.log(sumOf(expected.blocks[index].map(Math.exp)));
          if (!Number.isFinite(naive)) expect(value).toBe(naive);
          else expect(Math.abs(value - naive)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(naive)));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('computes hand-checked values', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(sum(x).item()).toBe(21);
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, -1, true).toArray()).toEqual([[6], [15]]);
    expect(sum(x, [0, 1], true).toArray()).toEqual([[21]]);
    expect(sum(x, []).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(mean(x, 1).toArray()).toEqual([2, 5]);
    expect(prod(x, 1).toArray()).toEqual([6, 120]);
    expect(max(x, 0).toArray()).toEqual([4, 5, 6]);
    expect(min(x).item()).toBe(1);
    expect(
      argmax(
        tensor([
          [1, 9, 9],
          [7, 3, 0],
        ]),
        1,
      ).toArray(),
    ).toEqual([1, 0]);
    expect(
      argmax(
        tensor([
          [1, 9],
          [7, 3],
        ]),
      ).toArray(),
    ).toEqual([1, 0]); // axis 0 by default, as TensorFlow.js
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25); // (2.25 + 0.25 + 0.25 + 2.25) / 4
    expect(std(tensor([2, 4, 4, 4, 5, 5, 7, 9])).item()).toBe(2); // mean 5, Σ(x−5)² = 32, 32 / 8 = 4
  });

  it('accumulates float32 sums in float64: 2^24 + 1 + ... is not lost', () => {
    // In float32, 2^24 + 1 = 2^24: a float32 accumulator would return 0 here; float64 returns 4.
    expect(sum(tensor([2 ** 24, 1, 1, 1, 1, -(2 ** 24)])).item()).toBe(4);
    expect(mean(tensor([2 ** 24, 1, 1, -(2 ** 24)])).item()).toBe(0.5);
  });

  it('is stable for large inputs and handles infinities and NaN', () => {
    expect(logSumExp(tensor([1000, 1000], { dtype: 'float64' })).item()).toBe(1000 + Math.log(2));
    expect(logSumExp(tensor([-1000, -1000], { dtype: 'float64' })).item()).toBe(-1000 + Math.log(2));
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logSumExp(zeros([0])).item()).toBe(-Infinity);
    expect(max(tensor([1, NaN, 3])).item()).toBeNaN();
    expect(argmax(tensor([1, NaN, 3, NaN])).item()).toBe(1);
    expect(sum(zeros([0, 3]), 0).toArray()).toEqual([0, 0, 0]);
    expect(prod(zeros([0])).item()).toBe(1);
    expect(mean(zeros([0])).item()).toBeNaN();
  });

  it('keeps int32 sums in int32, wrapping like Int32Array', () => {
    const result = sum(tensor([2 ** 31 - 1, 1], { dtype: 'int32' }));
    expect([result.dtype, result.item()]).toEqual(['int32', -(2 ** 31)]);
  });

  it('writes into out, including a strided view', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const out = zeros([3]);
    expect(sum(x, 0, false, { out })).toBe(out);
    expect(out.toArray()).toEqual([5, 7, 9]);
    const parent = zeros([2, 2]);
    max(x, 1, false, { out: parent.slice(null, 1) });
    expect(parent.toArray()).toEqual([
      [0, 3],
      [0, 6],
    ]);
  });

  it('rejects bad axes, empty max/min and bad out with the operation and values in the message', () => {
    const x = zeros([2, 3]);
    expect(() => sum(x, 3)).toThrow('sum: axis 3 is out of range for a tensor of rank 2');
    expect(() => mean(x, [0, -2])).toThrow('mean: axes [0,-2] repeat an axis');
    expect(() => max(zeros([0, 3]), 0)).toThrow(
      'max: cannot reduce zero elements: shape [0,3] over axes [0] has no identity for max',
    );
    expect(() => argmin(zeros([2, 0]), 1)).toThrow('argmin: cannot reduce zero elements');
    expect(() => sum(x, 1.5)).toThrow('sum: axis must be an integer in [-2, 2), got number 1.5');
    expect(() => sum(x, 0, false, { out: zeros([2]) })).toThrow('sum: out has shape [2]; expected [3]');
    expect(() => sum(x, 0, false, { out: x.slice(0) })).toThrow(
      'sum: out shares memory with an input; pass a separate buffer',
    );
    expect(() => variance([1, 2] as never)).toThrow('variance: x must be a Tensor, got an array');
  });
});
