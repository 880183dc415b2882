import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valuesFor } from '../testing/arbitraries.js';
import { jsKernels } from './js-kernels.js';
import type { MatmulArguments } from './kernels.js';
import { matmulBlocked } from './matmul-blocked.js';
import { matmulNaive } from './matmul-naive.js';

interface Problem {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
  /** Extra elements between rows (leading dimension > minimum) and before the first element. */
  pad: number;
}

/** Builds kernel arguments with A, B and C values from a seed; C starts non-zero to expose missed writes. */
function argumentsFor<T extends Float32Array | Float64Array>(
  problem: Problem,
  make: (length: number) => T,
  seed: number,
): MatmulArguments<T> {
  const { m, n, k, transposeA, transposeB, accumulate, pad } = problem;
  const lda = (transposeA ? m : k) + pad;
  const ldb = (transposeB ? k : n) + pad;
  const ldc = n + pad;
  const fill = (length: number, salt: number) => {
    const array = make(length);
    array.set(valuesFor('float64', length, seed + salt));
    return array;
  };
  return {
    a: fill(pad + (transposeA ? k : m) * lda, 1),
    aOffset: pad,
    lda,
    transposeA,
    b: fill(pad + (transposeB ? n : k) * ldb, 2),
    bOffset: pad,
    ldb,
    transposeB,
    out: fill(pad + m * ldc, 3),
    outOffset: pad,
    ldc,
    m,
    n,
    k,
    accumulate,
  };
}

/** Element (i, j) of op(X) straight from the definition, for hand-written reference loops. */
function element(
  data: ArrayLike<number>,
  offset: number,
  leading: number,
  transposed: boolean,
  i: number,
  j: number,
): number {
  return transposed ? data[offset + j * leading + i] : data[offset + i * leading + j];
}

const problemArbitrary = (maxDim: number) =>
  fc.record({
    m: fc.integer({ min: 0, max: maxDim }),
    n: fc.integer({ min: 0, max: maxDim }),
    k: fc.integer({ min: 0, max: maxDim }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    accumulate: fc.boolean(),
    pad: fc.integer({ min: 0, max: 3 }),
  });

describe('matmulNaive', () => {
  it('computes [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]] (1·5+2·7=19, 1·6+2·8=22, 3·5+4·7=43, 3·6+4·8=50)', () => {
    const out = new Float64Array(4);
    matmulNaive({
      a: new Float64Array([1, 2, 3, 4]),
      aOffset: 0,
      lda: 2,
      transposeA: false,
      b: new Float64Array([5, 6, 7, 8]),
      bOffset: 0,
      ldb: 2,
      transposeB: false,
      out,
      outOffset: 0,
      ldc: 2,
      m: 2,
      n: 2,
      k: 2,
      accumulate: false,
    });
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
  });

  it('matches the definition for every transpose, leading dimension and accumulate flag', () => {
    fc.assert(
      fc.property(problemArbitrary(6), fc.nat(), (problem, seed) => {
        const args = argumentsFor(problem, (length) => new Float64Array(length), seed);
        const before = Float64Array.from(args.out);
        matmulNaive(args);
        for (let i = 0; i < problem.m; i++) {
          for (let j = 0; j < problem.n; j++) {
            let sum = 0;
            for (let p = 0; p < problem.k; p++)
              sum +=
                element(args.a, args.aOffset, args.lda, problem.transposeA, i, p) *
                element(args.b, args.bOffset, args.ldb, problem.transposeB, p, j);
            const index = args.outOffset + i * args.ldc + j;
            expect(args.out[index]).toBe(problem.accumulate ? before[index] + sum : sum);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('matmulBlocked (the js kernels)', () => {
  it('is what jsKernels runs for float32 and float64', () => {
    expect(jsKernels.name).toBe('js');
    expect(jsKernels.matmulFloat32).toBe(matmulBlocked);
    expect(jsKernels.matmulFloat64).toBe(matmulBlocked);
  });

  it('equals the naive reference bit for bit on exact values, across block edges, transposes, strides and accumulate', () => {
    // Values are multiples of 1/4 below 5 in magnitude: every sum is exact, so any summation order agrees.
    const sizes = fc.constantFrom(1, 3, 4, 5, 17, 63, 64, 65, 130, 257, 300);
    fc.assert(
      fc.property(
        fc.record({
          m: sizes,
          n: sizes,
          k: sizes,
          transposeA: fc.boolean(),
          transposeB: fc.boolean(),
          accumulate: fc.boolean(),
          pad: fc.integer({ min: 0, max: 2 }),
        }),
        fc.boolean(),
        fc.nat(),
        (problem, single, seed) => {
          const make = single
            ? (length: number) => new Float32Array(length)
            : (length: number) => new Float64Array(length);
          const blocked = argumentsFor<Float32Array | Float64Array>(problem, make, seed);
          const reference = argumentsFor<Float32Array | Float64Array>(problem, make, seed);
          matmulBlocked(blocked);
          matmulNaive(reference);
          expect(blocked.out).toEqual(reference.out);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('covers the small-problem path and empty products (k = 0 writes zeros unless accumulating)', () => {
    fc.assert(
      fc.property(problemArbitrary(9), fc.nat(), (problem, seed) => {
        const blocked = argumentsFor(problem, (length) => new Float32Array(length), seed);
        const reference = argumentsFor(problem, (length) => new Float32Array(length), seed);
        matmulBlocked(blocked);
        matmulNaive(reference);
        expect(blocked.out).toEqual(reference.out);
      }),
      { numRuns: 80 },
    );
  });

  it('rounds a float32 result once: within half an ulp of the float64 product over 784 terms', () => {
    // Random non-integer values, k = 784 (four depth blocks): float32 accumulation would be off by many ulps.
    const m = 9,
      n = 11,
      k = 784;
    const a = new Float32Array(m * k).map((_, index) => Math.sin(index * 12.9898) * 3);
    const b = new Float32Array(k * n).map((_, index) => Math.cos(index * 78.233) * 2);
    const out = new Float32Array(m * n);
    matmulBlocked({
      a,
      aOffset: 0,
      lda: k,
      transposeA: false,
      b,
      bOffset: 0,
      ldb: n,
      transposeB: false,
      out,
      outOffset: 0,
      ldc: n,
      m,
      n,
      k,
      accumulate: false,
    });
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let exact = 0;
        for (let p = 0; p < k; p++) exact += a[i * k + p] * b[p * n + j];
        const halfUlp = 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 24);
        expect(Math.abs(out[i * n + j] - exact)).toBeLessThanOrEqual(halfUlp * (1 + 1e-9));
      }
    }
  });

  it('gives bit-identical results on repeated runs', () => {
    const problem: Problem = { m: 70, n: 90, k: 600, transposeA: true, transposeB: false, accumulate: false, pad: 1 };
    const first = argumentsFor(problem, (length) => new Float32Array(length), 5);
    first.a = first.a.map((value, index) => value + Math.sin(index) / 7);
    const second = { ...first, out: Float32Array.from(first.out) };
    matmulBlocked(first);
    matmulBlocked(second);
    expect(second.out).toEqual(first.out);
    expect(first.out.some((value) => !Number.isInteger(value * 4))).toBe(true);
  });
});
