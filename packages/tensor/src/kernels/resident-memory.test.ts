import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { jsKernels } from './js-kernels.js';
import type { MatmulActivation, MatmulArguments } from './kernels.js';
import { KernelMemory } from './kernel-memory.js';
import { createWasmKernels } from './wasm-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';
import { fillDeterministic as fill } from '../testing/fill.js';

const kernels = createWasmKernels('simd', jsKernels);

/** An array of `length` in the kernels' shared memory, or an ordinary one, filled from `seed`. */
function placed(length: number, resident: boolean, seed: number): Float32Array {
  // An empty array is never resident (allocateFloat32(0) is null): nothing to place.
  const array = resident && length > 0 ? kernels.allocateFloat32(length) : new Float32Array(length);
  if (array === null) throw new Error('the shared kernel memory refused a small allocation');
  return fill(array, seed);
}

interface Placement {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  accumulate: boolean;
  pad: number;
  offset: number;
  seed: number;
  activation: MatmulActivation | null;
  residentA: boolean;
  residentB: boolean;
  residentOut: boolean;
  residentBias: boolean;
}

/** The same product with operands where `placement` says, and with every operand copied (ordinary arrays). */
function runBoth(placement: Placement): { placed: Float32Array; copied: Float32Array } {
  const { m, n, k, transposeA, transposeB, pad, offset, seed } = placement;
  const lda = (transposeA ? m : k) + pad;
  const ldb = (transposeB ? k : n) + pad;
  const ldc = n + pad;
  const aLength = offset + (transposeA ? k : m) * lda;
  const bLength = offset + (transposeB ? n : k) * ldb;
  const outLength = offset + m * ldc;
  const build = (a: Float32Array, b: Float32Array, out: Float32Array): MatmulArguments<Float32Array> => ({
    a,
    aOffset: offset,
    lda,
    transposeA,
    b,
    bOffset: offset,
    ldb,
    transposeB,
    out,
    outOffset: offset,
    ldc,
    m,
    n,
    k,
    accumulate: placement.accumulate,
  });
  const inPlace = build(
    placed(aLength, placement.residentA, seed),
    placed(bLength, placement.residentB, seed + 1),
    placed(outLength, placement.residentOut, seed + 2),
  );
  const copied = build(
    placed(aLength, false, seed),
    placed(bLength, false, seed + 1),
    placed(outLength, false, seed + 2),
  );
  if (placement.activation === null) {
    kernels.matmulFloat32(inPlace);
    kernels.matmulFloat32(copied);
  } else {
    // The bias sits at an offset too, to check the resident bias address.
    const biasInPlace = placed(n + offset, placement.residentBias, seed + 3);
    kernels.matmulBiasActivationFloat32(inPlace, biasInPlace, offset, placement.activation);
    kernels.matmulBiasActivationFloat32(copied, placed(n + offset, false, seed + 3), offset, placement.activation);
  }
  return { placed: inPlace.out, copied: copied.out };
}

describe('resident operands (tensors in the shared WebAssembly memory)', () => {
  it('are handed out by the wasm backend on Node, zero-filled and owned by its memory', () => {
    expect(kernels.memory.resident).toBe(true);
    const array = kernels.allocateFloat32(10)!;
    expect(array).toBeInstanceOf(Float32Array);
    expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...array]).toEqual(new Array(10).fill(0));
    expect(kernels.memory.owns(array)).toBe(true);
    expect(kernels.memory.owns(new Float32Array(10))).toBe(false);
    expect(kernels.memory.addressOf(array) % 64).toBe(0);
  });

  it('give bit-identical products to copied operands, for every mix of resident and copied A, B, out and bias', () => {
    // The kernel reads the same values in the same order either way; only where they live differs.
    const placement = fc.record({
      m: fc.integer({ min: 0, max: 30 }),
      n: fc.integer({ min: 0, max: 30 }),
      k: fc.integer({ min: 0, max: 40 }),
      transposeA: fc.boolean(),
      transposeB: fc.boolean(),
      accumulate: fc.boolean(),
      pad: fc.integer({ min: 0, max: 3 }),
      offset: fc.integer({ min: 0, max: 5 }),
      seed: fc.integer({ min: 1, max: 1e6 }),
      activation: fc.constantFrom<MatmulActivation | null>(null, 'none', 'relu'),
      residentA: fc.boolean(),
      residentB: fc.boolean(),
      residentOut: fc.boolean(),
      residentBias: fc.boolean(),
    });
    fc.assert(
      fc.property(placement, (chosen) => {
        const { placed: inPlace, copied } = runBoth(chosen);
        expect(
          Buffer.from(inPlace.buffer, inPlace.byteOffset, inPlace.byteLength).equals(
            Buffer.from(copied.buffer, copied.byteOffset, copied.byteLength),
          ),
        ).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it('stay valid and keep their values when the memory grows (a shared memory never detaches views)', () => {
    const fresh = createWasmKernels('simd', jsKernels);
    const early = fresh.allocateFloat32(1000)!;
    fill(early, 5);
    const expected = [...early];
    const before = fresh.memory.byteLength;
    const large = fresh.allocateFloat32(4_000_000)!; // 16 MB: the memory must grow
    expect(fresh.memory.byteLength).toBeGreaterThan(before);
    expect(early.length).toBe(1000);
    expect([...early]).toEqual(expected);
    large[0] = 7;
    expect(large[0]).toBe(7);
    // A product on the early array after growth reads and writes the same bytes.
    const out = fresh.allocateFloat32(1)!;
    fresh.matmulFloat32({
      a: early,
      aOffset: 0,
      lda: 1000,
      transposeA: false,
      b: early,
      bOffset: 0,
      ldb: 1,
      transposeB: false,
      out,
      outOffset: 0,
      ldc: 1,
      m: 1,
      n: 1,
      k: 1000,
      accumulate: false,
    });
    const dot = expected.reduce((total, value) => total + value * value, 0);
    expect(Math.abs(out[0] - dot)).toBeLessThan(1e-4 * dot);
  });
});

describe('KernelMemory (the allocator)', () => {
  const memoryFor = () => {
    const shared = createSharedKernelMemory()!;
    return new KernelMemory(shared, 0, true, 512);
  };

  it('reuses a freed block, zero-filled, and merges neighbours so a large block fits again', () => {
    const memory = memoryFor();
    const first = memory.allocateFloat32(16)!; // 64 bytes at 0
    const second = memory.allocateFloat32(16)!; // 64 bytes at 64
    const third = memory.allocateFloat32(16)!; // 64 bytes at 128
    expect([first, second, third].map((array) => memory.addressOf(array))).toEqual([0, 64, 128]);
    second.fill(3);
    memory.free(64);
    const again = memory.allocateFloat32(16)!;
    expect(memory.addressOf(again)).toBe(64);
    expect([...again]).toEqual(new Array(16).fill(0));
    memory.free(0);
    memory.free(64);
    // Blocks 0 and 64 merged into 128 free bytes below the third: a 32-float array fits at 0.
    expect(memory.addressOf(memory.allocateFloat32(32)!)).toBe(0);
    expect(memory.bytesInUse).toBe(128 + 64);
  });

  it('lowers its top when the highest block is freed, so memory is not leaked by a shrinking pattern', () => {
    const memory = memoryFor();
    memory.allocateFloat32(16);
    const high = memory.allocateFloat32(1000)!;
    memory.free(memory.addressOf(high));
    expect(memory.addressOf(memory.allocateFloat32(2000)!)).toBe(64);
  });

  it('returns null (so callers fall back to an ordinary array) when the memory limit is reached', () => {
    const memory = memoryFor(); // 512 pages = 32 MiB
    expect(memory.allocateFloat32(9_000_000)).toBeNull(); // 36 MB
    expect(memory.allocateFloat32(1_000_000)).not.toBeNull();
  });

  it('keeps headroom for scratch: resident arrays stop short of the limit, so products still find packing space', () => {
    // 32 MiB limit, an eighth (4 MiB) kept for scratch: resident arrays may use up to 28 MiB.
    const memory = memoryFor();
    expect(memory.allocateFloat32(7_500_000)).toBeNull(); // 30 MB would leave under 4 MiB
    const big = memory.allocateFloat32(7_000_000); // 28 MB fits below the headroom
    expect(big).not.toBeNull();
    expect(() => memory.scratch(3 * 1024 * 1024)).not.toThrow();
  });

  it('hands out nothing over an ordinary memory, whose growth would detach the arrays', () => {
    const ordinary = new KernelMemory(new WebAssembly.Memory({ initial: 1 }), 0, false);
    expect(ordinary.allocateFloat32(4)).toBeNull();
    const address = ordinary.scratch(200_000);
    expect(ordinary.byteLength).toBeGreaterThanOrEqual(address + 200_000);
    expect(ordinary.float32().length * 4).toBe(ordinary.byteLength);
  });

  it('throws a clear error when even the scratch region cannot be reserved', () => {
    const memory = memoryFor();
    expect(() => memory.scratch(64 * 1024 * 1024)).toThrow(/cannot reserve 67108864 bytes of scratch/);
    expect(() => memory.scratch(64 * 1024 * 1024)).toThrow(AnnetError);
  });
});

describe('garbage collection of resident arrays', () => {
  it('does not free a block twice: a block freed by hand is not freed again when its old array is collected', async () => {
    const collect = (globalThis as { gc?: () => void }).gc!;
    const memory = new KernelMemory(createSharedKernelMemory()!, 0, true, 512);
    const freeByHand = (): number => {
      const first = memory.allocateFloat32(16)!;
      const address = memory.addressOf(first);
      memory.free(address);
      return address; // `first` becomes garbage when this returns
    };
    const address = freeByHand();
    const second = memory.allocateFloat32(16)!; // reuses the block
    expect(memory.addressOf(second)).toBe(address);
    for (let attempt = 0; attempt < 10; attempt++) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Had the first array's finalizer run, it would have freed the block under `second`.
    expect(memory.bytesInUse).toBe(64);
    expect(memory.addressOf(memory.allocateFloat32(16)!)).toBe(address + 64);
  });

  it("returns a collected array's block to the allocator (no dispose needed)", async () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    expect(collect, 'vitest.config.ts runs the tests with --expose-gc').toBeTypeOf('function');
    const memory = new KernelMemory(createSharedKernelMemory()!, 0, true, 512);
    const kept = memory.allocateFloat32(1000)!;
    // Allocated in a function so that no reference to the dropped arrays survives on this frame.
    const allocateAndDrop = (): void => {
      for (let index = 0; index < 10; index++) memory.allocateFloat32(100_000);
    };
    allocateAndDrop();
    const inUseWithGarbage = memory.bytesInUse;
    expect(inUseWithGarbage).toBeGreaterThanOrEqual(10 * 400_000);
    // Finalizers run in a later task after a collection: collect and yield until they did.
    for (let attempt = 0; attempt < 50 && memory.bytesInUse > 4096; attempt++) {
      collect!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(memory.bytesInUse).toBe(4000 + 32); // only `kept` (1000 floats, rounded up to 64 bytes)
    expect(kept.length).toBe(1000);
    // The freed space is reused: a new 4 MB array fits below the old top.
    expect(memory.addressOf(memory.allocateFloat32(1_000_000)!)).toBe(4032);
  });
});
