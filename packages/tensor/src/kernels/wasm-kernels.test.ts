import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsKernels } from './js-kernels.js';
import type { Kernels, MatmulActivation, MatmulArguments } from './kernels.js';
import { createWasmKernels } from './wasm-kernels.js';

/** A float64 stand-in for the reference: the wasm backend must never route float32 work here. */
const float64Only: Kernels = {
  name: 'float64-only',
  matmulFloat32: () => {
    throw new Error('float32 matmul reached the reference');
  },
  matmulFloat64: (args) => naiveMatmul(args, null, 0, 'none'),
};

const kernels = createWasmKernels('simd', float64Only);

/** op(A)[i, p] and op(B)[p, j] read exactly as the Kernels interface documents. */
function elementA<T extends Float32Array | Float64Array>(args: MatmulArguments<T>, i: number, p: number): number {
  return args.a[args.aOffset + (args.transposeA ? p * args.lda + i : i * args.lda + p)];
}
function elementB<T extends Float32Array | Float64Array>(args: MatmulArguments<T>, p: number, j: number): number {
  return args.b[args.bOffset + (args.transposeB ? j * args.ldb + p : p * args.ldb + j)];
}

/** The oracle: a triple loop with a float64 sum per output, then the epilogue in the documented order. */
function naiveMatmul<T extends Float32Array | Float64Array>(
  args: MatmulArguments<T>,
  bias: T | null,
  biasOffset: number,
  activation: MatmulActivation,
): void {
  for (let i = 0; i < args.m; i++) {
    for (let j = 0; j < args.n; j++) {
      let sum = 0;
      for (let p = 0; p < args.k; p++) sum += elementA(args, i, p) * elementB(args, p, j);
      const index = args.outOffset + i * args.ldc + j;
      let value = (args.accumulate ? args.out[index] : 0) + sum;
      if (bias !== null) value += bias[biasOffset + j];
      args.out[index] = activation === 'relu' ? Math.max(value, 0) : value;
    }
  }
}

/** Sum of |a||b| over p plus |previous out|: the scale a float32 dot product's rounding error is relative to. */
function errorScale(
  args: MatmulArguments<Float32Array>,
  previous: Float32Array,
  bias: Float32Array | null,
  i: number,
  j: number,
): number {
  let scale = args.accumulate ? Math.abs(previous[args.outOffset + i * args.ldc + j]) : 0;
  for (let p = 0; p < args.k; p++) scale += Math.abs(elementA(args, i, p) * elementB(args, p, j));
  return scale + (bias === null ? 0 : Math.abs(bias[j]));
}

interface Layout {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
  padA: number;
  padB: number;
  padC: number;
  offsetA: number;
  offsetB: number;
  offsetC: number;
  seed: number;
}

/** Deterministic values in [-1, 1) from a seed (a small LCG: tests need variety, not quality). */
function filled(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[index] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Builds operands with the given layout (padding between rows, offsets before the data). */
function buildArguments(layout: Layout): MatmulArguments<Float32Array> {
  const { m, n, k, transposeA, transposeB, accumulate } = layout;
  const [aRows, aColumns] = transposeA ? [k, m] : [m, k];
  const [bRows, bColumns] = transposeB ? [n, k] : [k, n];
  const lda = aColumns + layout.padA;
  const ldb = bColumns + layout.padB;
  const ldc = n + layout.padC;
  return {
    a: filled(layout.offsetA + aRows * lda, layout.seed),
    aOffset: layout.offsetA,
    lda,
    transposeA,
    b: filled(layout.offsetB + bRows * ldb, layout.seed + 1),
    bOffset: layout.offsetB,
    ldb,
    transposeB,
    out: filled(layout.offsetC + m * ldc, layout.seed + 2),
    outOffset: layout.offsetC,
    ldc,
    m,
    n,
    k,
    accumulate,
  };
}

/** Runs the wasm kernel and the oracle on copies and checks every element of `out`, gaps included. */
function expectAgreement(
  layout: Layout,
  bias: Float32Array | null = null,
  activation: MatmulActivation = 'none',
): void {
  const args = buildArguments(layout);
  const previous = args.out.slice();
  const expected = new Float64Array(previous);
  naiveMatmul(
    { ...args, a: Float64Array.from(args.a), b: Float64Array.from(args.b), out: expected },
    bias === null ? null : Float64Array.from(bias),
    0,
    activation,
  );
  if (bias === null && activation === 'none') kernels.matmulFloat32(args);
  else kernels.matmulBiasActivationFloat32(args, bias ?? new Float32Array(args.n), 0, activation);
  for (let index = 0; index < args.out.length; index++) {
    const row = Math.floor((index - args.outOffset) / args.ldc);
    const column = index - args.outOffset - row * args.ldc;
    const inside = index >= args.outOffset && row < args.m && column < args.n;
    if (!inside) {
      expect(args.out[index], `untouched element ${index}`).toBe(previous[index]);
      continue;
    }
    const tolerance = 1e-5 * errorScale(args, previous, bias, row, column) + 1e-30;
    const error = Math.abs(args.out[index] - expected[index]);
    if (!(error <= tolerance))
      expect.fail(
        `out[${row},${column}] = ${args.out[index]}, expected ${expected[index]} (tolerance ${tolerance}) for ${JSON.stringify(layout)}`,
      );
  }
}

const layoutArbitrary = fc.record({
  m: fc.integer({ min: 0, max: 37 }),
  n: fc.integer({ min: 0, max: 37 }),
  k: fc.integer({ min: 0, max: 40 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  accumulate: fc.boolean(),
  padA: fc.integer({ min: 0, max: 3 }),
  padB: fc.integer({ min: 0, max: 3 }),
  padC: fc.integer({ min: 0, max: 3 }),
  offsetA: fc.integer({ min: 0, max: 5 }),
  offsetB: fc.integer({ min: 0, max: 5 }),
  offsetC: fc.integer({ min: 0, max: 5 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

/** Whether two float32 arrays hold the same bits (NaN payloads and signed zeros included). */
function sameBits(first: Float32Array, second: Float32Array): boolean {
  const left = new Uint32Array(first.buffer, first.byteOffset, first.length);
  const right = new Uint32Array(second.buffer, second.byteOffset, second.length);
  return left.length === right.length && left.every((word, index) => word === right[index]);
}

const plain = {
  transposeA: false,
  transposeB: false,
  accumulate: false,
  padA: 0,
  padB: 0,
  padC: 0,
  offsetA: 0,
  offsetB: 0,
  offsetC: 0,
  seed: 9,
};

describe('createWasmKernels (WebAssembly SIMD matmul)', () => {
  it('computes a hand-checked 2x3 · 3x2 product', () => {
    // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[1*7+2*9+3*11, 1*8+2*10+3*12], [4*7+5*9+6*11, 4*8+5*10+6*12]] = [[58,64],[139,154]]
    const out = new Float32Array(4);
    kernels.matmulFloat32({
      a: Float32Array.of(1, 2, 3, 4, 5, 6),
      aOffset: 0,
      lda: 3,
      transposeA: false,
      b: Float32Array.of(7, 8, 9, 10, 11, 12),
      bOffset: 0,
      ldb: 2,
      transposeB: false,
      out,
      outOffset: 0,
      ldc: 2,
      m: 2,
      n: 2,
      k: 3,
      accumulate: false,
    });
    expect([...out]).toEqual([58, 64, 139, 154]);
  });

  it('reads transposed operands in place: A^T·B and A·B^T of the same stored matrices', () => {
    // Stored A = [[1,2],[3,4]], B = [[5,6],[7,8]]. A^T·B = [[1*5+3*7, 1*6+3*8], [2*5+4*7, 2*6+4*8]] = [[26,30],[38,44]];
    // A·B^T = [[1*5+2*6, 1*7+2*8], [3*5+4*6, 3*7+4*8]] = [[17,23],[39,53]].
    const a = Float32Array.of(1, 2, 3, 4);
    const b = Float32Array.of(5, 6, 7, 8);
    const base = {
      a,
      aOffset: 0,
      lda: 2,
      b,
      bOffset: 0,
      ldb: 2,
      outOffset: 0,
      ldc: 2,
      m: 2,
      n: 2,
      k: 2,
      accumulate: false,
    };
    const transposedA = new Float32Array(4);
    kernels.matmulFloat32({ ...base, transposeA: true, transposeB: false, out: transposedA });
    const transposedB = new Float32Array(4);
    kernels.matmulFloat32({ ...base, transposeA: false, transposeB: true, out: transposedB });
    expect([...transposedA]).toEqual([26, 30, 38, 44]);
    expect([...transposedB]).toEqual([17, 23, 39, 53]);
  });

  it('agrees with a naive float64 reference over random shapes, transposes, accumulate, offsets and leading dimensions', () => {
    fc.assert(
      fc.property(layoutArbitrary, (layout) => expectAgreement(layout)),
      { numRuns: 150 },
    );
  });

  it('agrees with the TypeScript reference kernels (jsKernels) over random layouts', () => {
    fc.assert(
      fc.property(layoutArbitrary, (layout) => {
        const args = buildArguments(layout);
        const previous = args.out.slice();
        const expected = { ...args, out: args.out.slice() };
        jsKernels.matmulFloat32(expected);
        kernels.matmulFloat32(args);
        args.out.forEach((value, index) => {
          const row = Math.floor((index - args.outOffset) / args.ldc);
          const column = index - args.outOffset - row * args.ldc;
          const inside = index >= args.outOffset && row < args.m && column < args.n;
          const tolerance = inside ? 1e-5 * errorScale(args, previous, null, row, column) : 0;
          if (!(Math.abs(value - expected.out[index]) <= tolerance))
            expect.fail(`out[${index}] = ${value}, reference ${expected.out[index]} for ${JSON.stringify(layout)}`);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('fuses bias and ReLU into the product, and agrees with the reference', () => {
    fc.assert(
      fc.property(layoutArbitrary, fc.constantFrom<MatmulActivation>('none', 'relu'), (layout, activation) => {
        expectAgreement(layout, filled(layout.n, layout.seed + 3), activation);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees across several cache blocks (k > 256, m > 80, n > 1024) in every transpose case', () => {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        expectAgreement({ ...plain, m: 90, n: 19, k: 600, transposeA, transposeB, accumulate: true, padA: 1, padC: 2 });
        expectAgreement({ ...plain, m: 5, n: 1100, k: 9, transposeA, transposeB });
      }
    }
  });

  it('reads a transposed A in place (32 columns or fewer) bit for bit as it packs the same matrix stored plainly', () => {
    // The in-place path only changes where the micro-kernel reads op(A) from, never the order of
    // the arithmetic: materializing op(A) row-major and taking the packed path must give the same bits.
    // m = 167 spans row blocks of 80, 80 and 7 rows (a last panel of 2), k = 600 depth blocks of
    // 256, 256 and 88; 33 columns is past the in-place limit (packed both ways).
    for (const n of [1, 8, 16, 31, 32, 33]) {
      for (const accumulate of [false, true]) {
        const layout = { ...plain, m: 167, n, k: 600, transposeA: true, accumulate, padA: 3, offsetA: 2, seed: 40 + n };
        const args = buildArguments(layout);
        const plainA = new Float32Array(layout.m * layout.k);
        for (let i = 0; i < layout.m; i++)
          for (let p = 0; p < layout.k; p++) plainA[i * layout.k + p] = elementA(args, i, p);
        const stored = { ...args, out: args.out.slice() };
        const packed = { ...args, a: plainA, aOffset: 0, lda: layout.k, transposeA: false, out: args.out.slice() };
        const bias = filled(n, layout.seed + 5);
        kernels.matmulBiasActivationFloat32(stored, bias, 0, 'relu');
        kernels.matmulBiasActivationFloat32(packed, bias, 0, 'relu');
        expect(sameBits(stored.out, packed.out), `n = ${n}, accumulate ${String(accumulate)}`).toBe(true);
      }
    }
  });

  it('agrees at the MLP training shapes: x·W, x^T·dy (weight gradient) and dy·W^T (input gradient)', () => {
    expectAgreement({ ...plain, m: 64, n: 128, k: 784 });
    expectAgreement({ ...plain, m: 784, n: 128, k: 64, transposeA: true, accumulate: true });
    expectAgreement({ ...plain, m: 64, n: 784, k: 128, transposeB: true });
  });

  it('writes the epilogue alone when k = 0: out = relu(0 + bias), or relu(out + bias) when accumulating', () => {
    const bias = Float32Array.of(1, -2, 3);
    const out = Float32Array.of(5, 5, -10, 7, 7, 7);
    const args = {
      a: new Float32Array(0),
      aOffset: 0,
      lda: 0,
      transposeA: false,
      b: new Float32Array(0),
      bOffset: 0,
      ldb: 3,
      transposeB: false,
      out,
      outOffset: 0,
      ldc: 3,
      m: 2,
      n: 3,
      k: 0,
    };
    kernels.matmulBiasActivationFloat32({ ...args, accumulate: true }, bias, 0, 'relu');
    // [5+1, 5-2, -10+3] -> relu -> [6, 3, 0]; [7+1, 7-2, 7+3] = [8, 5, 10]
    expect([...out]).toEqual([6, 3, 0, 8, 5, 10]);
    kernels.matmulBiasActivationFloat32({ ...args, accumulate: false }, bias, 0, 'relu');
    expect([...out]).toEqual([1, 0, 3, 1, 0, 3]);
  });

  it.each([true, false])(
    'grows its memory for a large product and stays correct for small ones afterwards (shared memory: %s; views re-derived)',
    (shared) => {
      const fresh = createWasmKernels('simd', float64Only, { shared });
      expect(fresh.memory.resident).toBe(shared);
      const before = fresh.memory.byteLength;
      const small = { ...plain, m: 3, n: 5, k: 7 };
      const run = (layout: Layout) => {
        const args = buildArguments(layout);
        const expected = new Float64Array(args.out.length);
        naiveMatmul(
          { ...args, a: Float64Array.from(args.a), b: Float64Array.from(args.b), out: expected },
          null,
          0,
          'none',
        );
        fresh.matmulFloat32(args);
        return { actual: [...args.out], expected: [...expected] };
      };
      const first = run(small);
      const large = run({ ...plain, m: 160, n: 160, k: 160 });
      const again = run(small);
      expect(fresh.memory.byteLength).toBeGreaterThan(before);
      for (const { actual, expected } of [first, large, again]) {
        actual.forEach((value, index) => expect(Math.abs(value - expected[index])).toBeLessThan(1e-3));
      }
    },
  );

  it('sends float64 products to the reference kernels', () => {
    const out = new Float64Array(1);
    kernels.matmulFloat64({
      a: Float64Array.of(2),
      aOffset: 0,
      lda: 1,
      transposeA: false,
      b: Float64Array.of(3),
      bOffset: 0,
      ldb: 1,
      transposeB: false,
      out,
      outOffset: 0,
      ldc: 1,
      m: 1,
      n: 1,
      k: 1,
      accumulate: false,
    });
    expect(out[0]).toBe(6);
  });

  it('is deterministic: the same inputs give bit-identical outputs', () => {
    const first = buildArguments({ ...plain, m: 33, n: 17, k: 300 });
    const second = buildArguments({ ...plain, m: 33, n: 17, k: 300 });
    kernels.matmulFloat32(first);
    kernels.matmulFloat32(second);
    expect(Buffer.from(first.out.buffer).equals(Buffer.from(second.out.buffer))).toBe(true);
  });
});

describe('remembered operand views', () => {
  it('read the current contents and the current offsets when the same buffers are reused', () => {
    // The backend remembers the subarray views it copies from, per source array and offset.
    // Rewriting the buffers and moving the offsets between calls must still give fresh products.
    const m = 3,
      n = 4,
      k = 5,
      batches = 3;
    const a = new Float32Array(batches * m * k);
    const b = new Float32Array(batches * k * n);
    const out = new Float32Array(batches * m * n);
    const expected = new Float32Array(out.length);
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < a.length; index++) a[index] = ((index * 7 + round * 3) % 11) - 5;
      for (let index = 0; index < b.length; index++) b[index] = ((index * 5 + round) % 13) - 6;
      for (let batch = 0; batch < batches; batch++) {
        const args = (target: Float32Array): MatmulArguments<Float32Array> => ({
          a,
          aOffset: batch * m * k,
          lda: k,
          transposeA: false,
          b,
          bOffset: batch * k * n,
          ldb: n,
          transposeB: false,
          out: target,
          outOffset: batch * m * n,
          ldc: n,
          m,
          n,
          k,
          accumulate: false,
        });
        kernels.matmulFloat32(args(out));
        naiveMatmul(args(expected), null, 0, 'none');
      }
      // Small integers: every product and sum is exact in float32, so the results are equal.
      expect(Array.from(out)).toEqual(Array.from(expected));
    }
  });
});
