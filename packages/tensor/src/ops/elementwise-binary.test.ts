import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../create.js';
import type { DType } from '../dtype.js';
import { AnnetError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import {
  broadcastGet,
  broadcastShapesArbitrary,
  dtypeArbitrary,
  elementsOf,
  indicesOf,
  layoutArbitrary,
  storedAs,
  tensorWithLayout,
  valuesFor,
} from '../testing/arbitraries.js';
import { equal, greater, greaterEqual, less, lessEqual, notEqual } from './compare.js';
import { add, div, maximum, minimum, mul, pow, sub } from './elementwise-binary.js';
import { where } from './where.js';

/** Result dtype by the documented rule, written out independently of dtype-rules.ts. */
function expectedDType(a: DType, b: DType, division: boolean): DType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32' || division) return 'float32';
  return 'int32';
}

const int32Product = (x: number, y: number) => Number(BigInt.asIntN(32, BigInt(x) * BigInt(y)));
const maxReference = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x >= y ? x : y);
const minReference = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x <= y ? x : y);

type BinaryFunction = (a: Tensor | number, b: Tensor | number, options?: { out?: Tensor }) => Tensor;
const arithmeticCases: Array<[string, BinaryFunction, (x: number, y: number, dtype: DType) => number, boolean]> = [
  ['add', add, (x, y) => x + y, false],
  ['sub', sub, (x, y) => x - y, false],
  ['mul', mul, (x, y, dtype) => (dtype === 'int32' ? int32Product(x, y) : x * y), false],
  ['div', div, (x, y) => x / y, true],
  ['pow', pow, (x, y) => x ** y, false],
  ['maximum', maximum, maxReference, false],
  ['minimum', minimum, minReference, false],
];
const comparisonCases: Array<[string, BinaryFunction, (x: number, y: number) => boolean]> = [
  ['equal', equal, (x, y) => x === y],
  ['notEqual', notEqual, (x, y) => x !== y],
  ['greater', greater, (x, y) => x > y],
  ['greaterEqual', greaterEqual, (x, y) => x >= y],
  ['less', less, (x, y) => x < y],
  ['lessEqual', lessEqual, (x, y) => x <= y],
];

const problemArbitrary = fc.record({
  shapes: broadcastShapesArbitrary(2),
  dtypeA: dtypeArbitrary,
  dtypeB: dtypeArbitrary,
  layoutA: layoutArbitrary,
  layoutB: layoutArbitrary,
  seed: fc.nat(),
});

function operands(p: {
  shapes: { operandShapes: number[][] };
  dtypeA: DType;
  dtypeB: DType;
  layoutA: 'contiguous' | 'transposed' | 'stepped' | 'offset';
  layoutB: 'contiguous' | 'transposed' | 'stepped' | 'offset';
  seed: number;
}): [Tensor, Tensor] {
  const [shapeA, shapeB] = p.shapes.operandShapes;
  const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
  return [
    tensorWithLayout(valuesFor(p.dtypeA, size(shapeA), p.seed), shapeA, p.dtypeA, p.layoutA),
    tensorWithLayout(valuesFor(p.dtypeB, size(shapeB), p.seed + 7), shapeB, p.dtypeB, p.layoutB),
  ];
}

describe('arithmetic ops', () => {
  for (const [name, op, reference, division] of arithmeticCases) {
    it(`${name} matches an element-by-element reference with broadcasting, any dtype pair and strided views`, () => {
      fc.assert(
        fc.property(problemArbitrary, (p) => {
          const [a, b] = operands(p);
          const dtype = expectedDType(a.dtype, b.dtype, division);
          const result = op(a, b);
          expect(result.shape).toEqual(p.shapes.shape);
          expect(result.dtype).toBe(dtype);
          const expected = storedAs(
            dtype,
            indicesOf(p.shapes.shape).map((index) => reference(broadcastGet(a, index), broadcastGet(b, index), dtype)),
          );
          expect(elementsOf(result)).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('adds with broadcasting by hand: [[1,2,3],[4,5,6]] + [10,20,30] and + [[100],[200]]', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(add(x, tensor([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(add(x, tensor([[100], [200]])).toArray()).toEqual([
      [101, 102, 103],
      [204, 205, 206],
    ]);
    expect(sub(tensor([[1], [2]]), tensor([1, 2, 3])).toArray()).toEqual([
      [0, -1, -2],
      [1, 0, -1],
    ]);
  });

  it('treats plain numbers as scalars of the other operand dtype, float32 for non-integers next to int32', () => {
    const labels = tensor([1, 2, 3], { dtype: 'int32' });
    expect(mul(labels, 2).dtype).toBe('int32');
    const halves = mul(labels, 0.5);
    expect(halves.dtype).toBe('float32');
    expect(halves.toArray()).toEqual([0.5, 1, 1.5]);
    expect(add(tensor([1], { dtype: 'float64' }), 1).dtype).toBe('float64');
    expect(sub(10, tensor([1, 2])).toArray()).toEqual([9, 8]);
    const scalar = add(1, 2);
    expect([scalar.shape, scalar.dtype, scalar.item()]).toEqual([[], 'float32', 3]);
  });

  it('divides int32 by int32 into float32 and wraps int32 products modulo 2^32', () => {
    const quotient = div(tensor([1, 7], { dtype: 'int32' }), tensor([2, 2], { dtype: 'int32' }));
    expect([quotient.dtype, quotient.toArray()]).toEqual(['float32', [0.5, 3.5]]);
    // 65536 · 65536 = 2^32 ≡ 0; 46341² = 2147488281 ≡ 2147488281 − 2^32 = −2147479015
    expect(
      mul(tensor([65536, 46341], { dtype: 'int32' }), tensor([65536, 46341], { dtype: 'int32' })).toArray(),
    ).toEqual([0, -2147479015]);
  });

  it('propagates NaN through maximum and minimum and follows IEEE 754 for division by zero', () => {
    expect(maximum(tensor([NaN, 1]), tensor([0, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(minimum(tensor([1, -1]), 0).toArray()).toEqual([0, -1]);
    expect(div(tensor([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
  });

  it('writes into out (a strided view, or an input for in-place updates) and returns it', () => {
    const weights = tensor([1, 2, 3]);
    expect(add(weights, tensor([10, 10, 10]), { out: weights })).toBe(weights);
    expect(weights.toArray()).toEqual([11, 12, 13]);
    const parent = zeros([2, 4]);
    const view = parent.slice(null, [1, 4, 2]);
    add(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      1,
      { out: view },
    );
    expect(parent.toArray()).toEqual([
      [0, 2, 0, 3],
      [0, 4, 0, 5],
    ]);
    const transposedOut = zeros([2, 3]);
    mul(
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      2,
      { out: transposedOut.transpose() },
    );
    expect(transposedOut.toArray()).toEqual([
      [2, 6, 10],
      [4, 8, 12],
    ]);
  });

  it('rejects shapes that do not broadcast, bad out and non-tensors, naming the operation', () => {
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow('add: shapes [2,3] and [4] cannot be broadcast together');
    expect(() => mul(zeros([2]), zeros([2]), { out: zeros([3]) })).toThrow('mul: out has shape [3]; expected [2]');
    expect(() => div(zeros([2], 'int32'), zeros([2], 'int32'), { out: zeros([2], 'int32') })).toThrow(
      'div: out has dtype int32; the result is float32',
    );
    expect(() => sub([1, 2] as never, 1)).toThrow(
      'sub: a must be a Tensor or a number, got an array; wrap arrays with tensor(...)',
    );
    expect(() => add(zeros([2]), zeros([1]).broadcastTo([2]), { out: zeros([1]).broadcastTo([2]) })).toThrow(
      AnnetError,
    );
    expect(() => pow(zeros([2]), '2' as never)).toThrow('pow: b must be a Tensor or a number, got string');
  });
});

describe('comparisons', () => {
  for (const [name, op, reference] of comparisonCases) {
    it(`${name} gives int32 1/0 matching a reference with broadcasting and strided views`, () => {
      fc.assert(
        fc.property(problemArbitrary, (p) => {
          const [a, b] = operands(p);
          const result = op(a, b);
          expect(result.dtype).toBe('int32');
          expect(elementsOf(result)).toEqual(
            indicesOf(p.shapes.shape).map((index) =>
              reference(broadcastGet(a, index), broadcastGet(b, index)) ? 1 : 0,
            ),
          );
        }),
        { numRuns: 40 },
      );
    });
  }

  it('compares by hand, with NaN unequal to everything', () => {
    const x = tensor([-1, 0, 1, NaN]);
    expect(greater(x, 0).toArray()).toEqual([0, 0, 1, 0]);
    expect(lessEqual(x, 0).toArray()).toEqual([1, 1, 0, 0]);
    expect(equal(x, x).toArray()).toEqual([1, 1, 1, 0]);
    expect(notEqual(x, x).toArray()).toEqual([0, 0, 0, 1]);
  });
});

describe('where', () => {
  it('matches cond ? a : b element by element over three broadcast operands', () => {
    fc.assert(
      fc.property(
        broadcastShapesArbitrary(3),
        dtypeArbitrary,
        dtypeArbitrary,
        layoutArbitrary,
        fc.nat(),
        (shapes, dtypeA, dtypeB, layout, seed) => {
          const [shapeC, shapeA, shapeB] = shapes.operandShapes;
          const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
          const condition = tensorWithLayout(
            valuesFor('int32', size(shapeC), seed).map((value) => (value > 0 ? 1 : 0)),
            shapeC,
            'int32',
            layout,
          );
          const a = tensorWithLayout(valuesFor(dtypeA, size(shapeA), seed + 1), shapeA, dtypeA, layout);
          const b = tensorWithLayout(valuesFor(dtypeB, size(shapeB), seed + 2), shapeB, dtypeB, 'contiguous');
          const dtype = expectedDType(dtypeA, dtypeB, false);
          const result = where(condition, a, b);
          expect(result.dtype).toBe(dtype);
          expect(elementsOf(result)).toEqual(
            storedAs(
              dtype,
              indicesOf(shapes.shape).map((index) =>
                broadcastGet(condition, index) !== 0 ? broadcastGet(a, index) : broadcastGet(b, index),
              ),
            ),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('builds ReLU from a comparison mask', () => {
    const x = tensor([-2, 0, 3]);
    expect(where(greater(x, 0), x, 0).toArray()).toEqual([0, 0, 3]);
    expect(() => where(zeros([2]), zeros([3]), 0)).toThrow('where: shapes [2] and [3] cannot be broadcast together');
  });
});

describe('broadcast rows that repeat one value', () => {
  it('[N, F, P] ∘ [F, 1] and [F, 1] ∘ [N, F, P] match the element-by-element definition, with and without out, repeatedly', () => {
    const ops = [
      [add, (x: number, y: number) => x + y],
      [sub, (x: number, y: number) => x - y],
      [mul, (x: number, y: number) => x * y],
      [div, (x: number, y: number) => x / y],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom<DType>('float32', 'float64'),
        fc.nat(),
        (n, f, p, dtype, seed) => {
          const x = tensorWithLayout(valuesFor(dtype, n * f * p, seed), [n, f, p], dtype, 'contiguous');
          const bias = tensorWithLayout(
            valuesFor(dtype, f, seed + 1).map((value) => value + 0.5),
            [f, 1],
            dtype,
            'contiguous',
          );
          for (const [op, reference] of ops) {
            const out = zeros([n, f, p], dtype);
            for (let repeat = 0; repeat < 2; repeat++) {
              // the second call runs on the cached plan
              const left = op(x, bias, { out });
              const right = op(bias, x);
              indicesOf([n, f, p]).forEach(([i, j, k]) => {
                expect(left.get(i, j, k)).toBe(storedAs(dtype, [reference(x.get(i, j, k), bias.get(j, 0))])[0]);
                expect(right.get(i, j, k)).toBe(storedAs(dtype, [reference(bias.get(j, 0), x.get(i, j, k))])[0]);
              });
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
