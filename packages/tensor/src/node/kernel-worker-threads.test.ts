import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { activeKernels, useKernels } from '../kernels/kernel-selection.js';
import { jsKernels } from '../kernels/js-kernels.js';
import type { MatmulArguments } from '../kernels/kernels.js';
import type { WasmKernels } from '../kernels/wasm-kernels.js';
import { startKernelThreads, type KernelThreadsHandle } from './kernel-worker-threads.js';
import { fillDeterministic as fill } from '../testing/fill.js';

const kernels = activeKernels() as WasmKernels;

interface Shape {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
  relu: boolean;
  resident: boolean;
  seed: number;
}

/** One product on fresh operands (resident or ordinary), with a bias; returns out. */
function product(shape: Shape): Float32Array {
  const { m, n, k, transposeA, transposeB, accumulate, relu, resident, seed } = shape;
  const place = (length: number, offset: number): Float32Array =>
    fill((resident ? kernels.allocateFloat32(length) : null) ?? new Float32Array(length), seed + offset);
  const args: MatmulArguments<Float32Array> = {
    a: place(m * k, 0),
    aOffset: 0,
    lda: transposeA ? m : k,
    transposeA,
    b: place(k * n, 1),
    bOffset: 0,
    ldb: transposeB ? k : n,
    transposeB,
    out: place(m * n, 2),
    outOffset: 0,
    ldc: n,
    m,
    n,
    k,
    accumulate,
  };
  kernels.matmulBiasActivationFloat32(args, place(n, 3), 0, relu ? 'relu' : 'none');
  return args.out;
}

const sameBits = (first: Float32Array, second: Float32Array): boolean =>
  Buffer.from(first.buffer, first.byteOffset, first.byteLength).equals(
    Buffer.from(second.buffer, second.byteOffset, second.byteLength),
  );

describe('startKernelThreads (matmul split across worker threads sharing the kernel memory)', () => {
  let handle: KernelThreadsHandle | undefined;
  afterAll(async () => {
    await handle?.stop();
  });

  it('gives bit-identical products to one thread, split by rows or by columns, resident or copied', async () => {
    // Shapes above the 2^19 multiply-add threshold, tall (split by rows) and wide (split by columns),
    // with sizes that are not multiples of the 5 x 8 tile.
    const shapes = fc
      .record({
        m: fc.integer({ min: 1, max: 300 }),
        n: fc.integer({ min: 1, max: 300 }),
        k: fc.integer({ min: 1, max: 400 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
        accumulate: fc.boolean(),
        relu: fc.boolean(),
        resident: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1e6 }),
      })
      .filter(({ m, n, k }) => m * n * k >= 1 << 19);
    const cases = fc.sample(shapes, { numRuns: 25, seed: 42 });
    cases.push({
      m: 64,
      n: 128,
      k: 784,
      transposeA: false,
      transposeB: false,
      accumulate: false,
      relu: true,
      resident: true,
      seed: 1,
    });
    cases.push({
      m: 784,
      n: 128,
      k: 64,
      transposeA: true,
      transposeB: false,
      accumulate: false,
      relu: false,
      resident: true,
      seed: 2,
    });
    cases.push({
      m: 64,
      n: 784,
      k: 128,
      transposeA: false,
      transposeB: true,
      accumulate: true,
      relu: false,
      resident: false,
      seed: 3,
    });
    const single = cases.map(product);
    handle = await startKernelThreads({ threads: 3 });
    expect(handle.threads).toBe(3);
    const threaded = cases.map(product);
    cases.forEach((shape, index) => expect(sameBits(threaded[index], single[index]), JSON.stringify(shape)).toBe(true));
  });

  it('gives bit-identical batches of small products (dealt out as whole products) to one product at a time', async () => {
    // Attention-like batches: outer x inner products of [m, k] x [k, n], each below the 2^19 split
    // threshold, read from interleaved (strided) layouts as per-head views are, and written to
    // their own [m, n] blocks; compared with one matmulFloat32 call per product on one thread.
    const sampled = fc.sample(
      fc.record({
        outer: fc.integer({ min: 1, max: 6 }),
        inner: fc.integer({ min: 1, max: 5 }),
        m: fc.integer({ min: 1, max: 70 }),
        n: fc.integer({ min: 1, max: 70 }),
        k: fc.integer({ min: 1, max: 40 }),
        transposeA: fc.boolean(),
        transposeB: fc.boolean(),
        accumulate: fc.boolean(),
        resident: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1e6 }),
      }),
      { numRuns: 30 },
    );
    // Three resident batches written out, large enough (2^19 multiply-adds in all) to be dealt
    // out whatever the shared seed draws: attention's per-head shapes (48 products of 64x64x32,
    // Q·Kᵀ), a transposed A with an odd m, and every axis small with many products.
    const cases = [
      ...sampled,
      {
        outer: 12,
        inner: 4,
        m: 64,
        n: 64,
        k: 32,
        transposeA: false,
        transposeB: true,
        accumulate: false,
        resident: true,
        seed: 1,
      },
      {
        outer: 3,
        inner: 2,
        m: 67,
        n: 40,
        k: 40,
        transposeA: true,
        transposeB: false,
        accumulate: true,
        resident: true,
        seed: 2,
      },
      {
        outer: 6,
        inner: 5,
        m: 33,
        n: 50,
        k: 20,
        transposeA: false,
        transposeB: false,
        accumulate: false,
        resident: true,
        seed: 3,
      },
    ];
    // Some batches are resident and large enough (2^19 multiply-adds in all) to be dealt out.
    expect(
      cases.filter((c) => c.resident && c.outer * c.inner * c.m * c.n * c.k >= 1 << 19).length,
    ).toBeGreaterThanOrEqual(3);
    const batchRun = (shape: (typeof cases)[number], batched: boolean): Float32Array => {
      const { outer, inner, m, n, k, transposeA, transposeB, accumulate, resident, seed } = shape;
      const place = (length: number, offset: number): Float32Array =>
        fill((resident ? kernels.allocateFloat32(length) : null) ?? new Float32Array(length), seed + offset);
      // A and B interleave the inner products along their rows (leading dimension inner · columns).
      const aColumns = transposeA ? m : k;
      const bColumns = transposeB ? k : n;
      const aRows = transposeA ? k : m;
      const bRows = transposeB ? n : k;
      const a = place(outer * inner * aRows * aColumns, 0);
      const b = place(outer * inner * bRows * bColumns, 1);
      const out = place(outer * inner * m * n, 2);
      const batch = {
        outer,
        inner,
        a: [inner * aRows * aColumns, aColumns] as [number, number],
        b: [inner * bRows * bColumns, bColumns] as [number, number],
        out: [inner * m * n, m * n] as [number, number],
      };
      const args: MatmulArguments<Float32Array> = {
        a,
        aOffset: 0,
        lda: inner * aColumns,
        transposeA,
        b,
        bOffset: 0,
        ldb: inner * bColumns,
        transposeB,
        out,
        outOffset: 0,
        ldc: n,
        m,
        n,
        k,
        accumulate,
      };
      if (batched) kernels.matmulBatchFloat32(args, batch);
      else
        for (let i = 0; i < outer; i++)
          for (let j = 0; j < inner; j++)
            kernels.matmulFloat32({
              ...args,
              aOffset: i * batch.a[0] + j * batch.a[1],
              bOffset: i * batch.b[0] + j * batch.b[1],
              outOffset: i * batch.out[0] + j * batch.out[1],
            });
      return out;
    };
    await handle?.stop();
    const single = cases.map((shape) => batchRun(shape, false));
    const singleBatched = cases.map((shape) => batchRun(shape, true));
    handle = await startKernelThreads({ threads: 3 });
    const threaded = cases.map((shape) => batchRun(shape, true));
    cases.forEach((shape, index) => {
      expect(sameBits(singleBatched[index], single[index]), JSON.stringify(shape)).toBe(true);
      expect(sameBits(threaded[index], single[index]), JSON.stringify(shape)).toBe(true);
    });
  });

  it('goes back to one thread after stop(), and products still agree', async () => {
    const shape: Shape = {
      m: 100,
      n: 90,
      k: 300,
      transposeA: false,
      transposeB: false,
      accumulate: false,
      relu: false,
      resident: true,
      seed: 8,
    };
    const threaded = product(shape);
    await handle!.stop();
    expect(sameBits(product(shape), threaded)).toBe(true);
  });

  it('refuses a bad thread count and the TypeScript kernels with clear errors', async () => {
    await expect(startKernelThreads({ threads: 0 })).rejects.toThrow(
      'startKernelThreads: threads must be an integer from 1 to 64, got 0',
    );
    const previous = useKernels(jsKernels);
    try {
      await expect(startKernelThreads({ threads: 2 })).rejects.toThrow(AnnetError);
      await expect(startKernelThreads({ threads: 2 })).rejects.toThrow(
        /need the WebAssembly backend with shared memory; the active kernels are js/,
      );
    } finally {
      useKernels(previous);
    }
  });
});
