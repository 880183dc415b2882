import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../create.js';
import { AnnetError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { elementsOf, layoutArbitrary, tensorWithLayout, valuesFor } from '../testing/arbitraries.js';
import { dot, outer } from './dot.js';
import { matmul } from './matmul.js';

/** Element-by-element reference: broadcast batch indices by hand, sum over p with get(). */
function referenceMatmul(
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
): { shape: number[]; values: number[] } {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const padA = [...Array(rank - batchA.length).fill(1), ...batchA];
  const padB = [...Array(rank - batchB.length).fill(1), ...batchB];
  const batch = padA.map((dimension, axis) => Math.max(dimension, padB[axis]));
  const m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2];
  const k = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1];
  const n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1];
  const values: number[] = [];
  const batchSize = batch.reduce((x, y) => x * y, 1);
  for (let flat = 0; flat < batchSize; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index.unshift(rest % batch[axis]);
      rest = Math.floor(rest / batch[axis]);
    }
    const indexA = index.slice(rank - batchA.length).map((value, axis) => (batchA[axis] === 1 ? 0 : value));
    const indexB = index.slice(rank - batchB.length).map((value, axis) => (batchB[axis] === 1 ? 0 : value));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          sum +=
            (transposeA ? a.get(...indexA, p, i) : a.get(...indexA, i, p)) *
            (transposeB ? b.get(...indexB, j, p) : b.get(...indexB, p, j));
        }
        values.push(sum);
      }
    }
  }
  return { shape: [...batch, m, n], values };
}

const dim = fc.integer({ min: 0, max: 5 });
const batchArbitrary = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });

describe('matmul', () => {
  it('multiplies a hand-checked 2x3 by 3x2: [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] = [[58,64],[139,154]]', () => {
    // 1·7+2·9+3·11 = 58, 1·8+2·10+3·12 = 64, 4·7+5·9+6·11 = 139, 4·8+5·10+6·12 = 154
    const product = matmul(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      tensor([
        [7, 8],
        [9, 10],
        [11, 12],
      ]),
    );
    expect(product.toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(product.dtype).toBe('float32');
  });

  it('matches the element-by-element reference over shapes, batch broadcasting, transposes and strided views', () => {
    const problem = fc
      .record({
        m: dim,
        n: dim,
        k: dim,
        batchA: batchArbitrary,
        batchB: batchArbitrary,
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
        layoutA: layoutArbitrary,
        layoutB: layoutArbitrary,
        dtype: fc.constantFrom('float32' as const, 'float64' as const),
        seed: fc.nat(),
      })
      .filter(({ batchA, batchB }) => {
        const rank = Math.max(batchA.length, batchB.length);
        return Array.from({ length: rank }, (_, axis) => [
          batchA[batchA.length - rank + axis] ?? 1,
          batchB[batchB.length - rank + axis] ?? 1,
        ]).every(([x, y]) => x === y || x === 1 || y === 1);
      });
    fc.assert(
      fc.property(problem, (p) => {
        const shapeA = [...p.batchA, ...(p.transposeA ? [p.k, p.m] : [p.m, p.k])];
        const shapeB = [...p.batchB, ...(p.transposeB ? [p.n, p.k] : [p.k, p.n])];
        const a = tensorWithLayout(
          valuesFor(
            p.dtype,
            shapeA.reduce((x, y) => x * y, 1),
            p.seed,
          ),
          shapeA,
          p.dtype,
          p.layoutA,
        );
        const b = tensorWithLayout(
          valuesFor(
            p.dtype,
            shapeB.reduce((x, y) => x * y, 1),
            p.seed + 1,
          ),
          shapeB,
          p.dtype,
          p.layoutB,
        );
        const expected = referenceMatmul(a, b, p.transposeA, p.transposeB);
        const product = matmul(a as Tensor<'float32'>, b as Tensor<'float32'>, {
          transposeA: p.transposeA,
          transposeB: p.transposeB,
        });
        expect(product.shape).toEqual(expected.shape);
        expect(product.dtype).toBe(p.dtype);
        expect(elementsOf(product)).toEqual(expected.values);
      }),
      { numRuns: 150 },
    );
  });

  it('reads transposed views in place and agrees with the transpose options', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = tensor([
      [1, 0, 2],
      [0, 1, 3],
    ]);
    expect(matmul(a.transpose(), b.transpose()).toArray()).toEqual(
      matmul(a, b, { transposeA: true, transposeB: true }).toArray(),
    );
    // a^T·b^T = [[1,3,5],[2,4,6]]·[[1,0],[0,1],[2,3]] = [[11,18],[14,22]]
    expect(matmul(a, b, { transposeA: true, transposeB: true }).toArray()).toEqual([
      [11, 18],
      [14, 22],
    ]);
  });

  it('folds a batch of rows into one product when b is shared, with the same result', () => {
    const a = tensorWithLayout(
      valuesFor('float32', 2 * 3 * 70 * 40, 1),
      [2, 3, 70, 40],
      'float32',
      'offset',
    ) as Tensor<'float32'>;
    const b = tensorWithLayout(
      valuesFor('float32', 40 * 30, 2),
      [40, 30],
      'float32',
      'contiguous',
    ) as Tensor<'float32'>;
    const product = matmul(a, b);
    expect(elementsOf(product)).toEqual(referenceMatmul(a, b, false, false).values);
  });

  it('writes into out, including a strided out view, and returns it', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([
      [5, 6],
      [7, 8],
    ]);
    const out = zeros([2, 2]);
    expect(matmul(a, b, { out })).toBe(out);
    expect(out.toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    const parent = zeros([2, 4]);
    const stridedOut = parent.slice(null, [0, 4, 2]);
    matmul(a, b, { out: stridedOut });
    expect(parent.toArray()).toEqual([
      [19, 0, 22, 0],
      [43, 0, 50, 0],
    ]);
    const transposedOut = zeros([2, 2]);
    matmul(a, b, { out: transposedOut.transpose() });
    expect(transposedOut.toArray()).toEqual([
      [19, 43],
      [22, 50],
    ]);
  });

  it('fills zeros for an empty inner dimension, even into a dirty out', () => {
    const out = tensor([
      [9, 9],
      [9, 9],
    ]);
    matmul(zeros([2, 0]), zeros([0, 2]), { out });
    expect(out.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('names the operation and the shapes in every error', () => {
    expect(() => matmul(zeros([64, 784]), zeros([128, 10]))).toThrow(
      'matmul: inner dimensions differ: [64,784] x [128,10]',
    );
    expect(() => matmul(zeros([784, 64]), zeros([128, 10]), { transposeA: true })).toThrow(
      'matmul: inner dimensions differ: [784,64]^T x [128,10]',
    );
    expect(() => matmul(zeros([3]), zeros([3, 2]))).toThrow(
      'matmul: expected tensors of rank >= 2, got shapes [3] and [3,2]; use dot() for vectors',
    );
    expect(() => matmul(zeros([2, 3, 4]), zeros([3, 4, 5]))).toThrow(
      'matmul: batch dimensions [2] and [3] cannot be broadcast together (shapes [2,3,4] x [3,4,5])',
    );
    expect(() => matmul(zeros([2, 2]), zeros([2, 2], 'float64') as never)).toThrow(
      "matmul: dtypes differ: float32 x float64; cast one with cast(x, 'float32')",
    );
    expect(() => matmul(zeros([2, 2], 'int32') as never, zeros([2, 2], 'int32') as never)).toThrow(
      'matmul: a has dtype int32; expected float32 or float64',
    );
    expect(() => matmul(zeros([2, 2]), zeros([2, 2]), { out: zeros([2, 3]) })).toThrow(
      'matmul: out has shape [2,3]; expected [2,2]',
    );
    expect(() => matmul(zeros([2, 2]), zeros([2, 2]), { out: zeros([2, 2], 'float64') })).toThrow(
      'matmul: out has dtype float64; the result is float32',
    );
    const a = zeros([2, 2]);
    expect(() => matmul(a, zeros([2, 2]), { out: a })).toThrow(
      'matmul: out shares memory with an input; pass a separate buffer',
    );
    expect(() => matmul([[1]] as never, a)).toThrow(
      'matmul: a must be a Tensor, got an array; wrap values with tensor(...)',
    );
    try {
      matmul(zeros([1, 2]), zeros([3, 1]));
    } catch (error) {
      expect(error).toBeInstanceOf(AnnetError);
      expect((error as AnnetError).code).toBe('SHAPE_MISMATCH');
    }
  });
});

describe('dot and outer', () => {
  it('follows the rank rules: 1-D·1-D is a scalar, 2-D·1-D and 1-D·2-D are vectors', () => {
    const scalar = dot(tensor([1, 2, 3]), tensor([4, 5, 6])); // 4 + 10 + 18
    expect(scalar.shape).toEqual([]);
    expect(scalar.item()).toBe(32);
    expect(
      dot(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([1, 1]),
      ).toArray(),
    ).toEqual([3, 7]);
    expect(
      dot(
        tensor([1, 1]),
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([4, 6]);
    expect(
      dot(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([
          [1, 0],
          [0, 1],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('matches a reference sum for strided vectors of any length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        layoutArbitrary,
        layoutArbitrary,
        fc.nat(),
        (length, layoutA, layoutB, seed) => {
          const x = valuesFor('float64', length, seed);
          const y = valuesFor('float64', length, seed + 1);
          const a = tensorWithLayout(x, [length], 'float64', layoutA) as Tensor<'float64'>;
          const b = tensorWithLayout(y, [length], 'float64', layoutB) as Tensor<'float64'>;
          expect(dot(a, b).item()).toBe(x.reduce((sum, value, index) => sum + value * y[index], 0));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('accumulates float32 dot products in float64', () => {
    // In float32, 2^24 + 1 rounds back to 2^24, so left-to-right float32 accumulation gives 0.
    // In float64 the partial sum 2^24 + 1 is exact, and the result is 1.
    const a = tensor([2 ** 24, 1, -(2 ** 24)]);
    const b = tensor([1, 1, 1]);
    expect(dot(a, b).item()).toBe(1);
  });

  it('outer multiplies every pair', () => {
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(outer(tensor([1, 2, 3]).slice([null, null, -2]), tensor([2])).toArray()).toEqual([[6], [2]]);
  });

  it('rejects bad ranks and mismatched lengths with the shapes in the message', () => {
    expect(() => dot(tensor([1, 2]), tensor([1, 2, 3]))).toThrow('dot: inner dimensions differ: [2] x [3]');
    expect(() => dot(zeros([1, 2, 3]), zeros([3]))).toThrow(
      'dot: expected 1-D or 2-D tensors, got shapes [1,2,3] and [3]; use matmul() for batches',
    );
    expect(() => outer(zeros([2, 2]), zeros([2]))).toThrow('outer: expected two 1-D tensors, got shapes [2,2] and [2]');
  });
});

describe('matmul plan cache', () => {
  it('gives the naive product whatever operand and out layouts alternate, call after call', () => {
    // Same shapes, different strides: each layout must get its own cached plan.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(layoutArbitrary, layoutArbitrary, layoutArbitrary), { minLength: 2, maxLength: 6 }),
        fc.nat(),
        (batch, m, k, n, layouts, seed) => {
          const aValues = valuesFor('float64', batch * m * k, seed);
          const bValues = valuesFor('float64', k * n, seed + 1);
          // The naive Σ_p a[b, i, p]·b[p, j] in float64 (compared to 12 decimal places).
          const expected: number[] = [];
          for (let index = 0; index < batch; index++)
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                let total = 0;
                for (let p = 0; p < k; p++) total += aValues[(index * m + i) * k + p] * bValues[p * n + j];
                expected.push(total);
              }
          for (const [aLayout, bLayout, outLayout] of layouts) {
            const a = tensorWithLayout(aValues, [batch, m, k], 'float64', aLayout) as Tensor<'float64'>;
            const b = tensorWithLayout(bValues, [k, n], 'float64', bLayout) as Tensor<'float64'>;
            const out = tensorWithLayout(new Array<number>(batch * m * n).fill(7), [batch, m, n], 'float64', outLayout);
            matmul(a, b, { out });
            elementsOf(out).forEach((value, index) => expect(value).toBeCloseTo(expected[index], 12));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
