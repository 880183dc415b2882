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
