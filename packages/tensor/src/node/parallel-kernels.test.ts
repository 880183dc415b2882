import { afterAll, describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { activeKernels } from '../kernels/kernel-selection.js';
import { controlWords, KernelThreads } from '../kernels/kernel-threads.js';
import { KernelParallelism } from '../kernels/parallel-kernels.js';
import type { WasmKernels } from '../kernels/wasm-kernels.js';
import { parallelTestModule } from '../testing/parallel-test-module.js';
import { startKernelThreads, type KernelThreadsHandle } from './kernel-worker-threads.js';

const kernels = activeKernels() as WasmKernels;
const parallel = kernels.parallel!;

/** 4096 resident float32s 1, 2, 3, ... */
function counting(): Float32Array {
  const array = kernels.allocateFloat32(4096)!;
  for (let index = 0; index < array.length; index++) array[index] = index + 1;
  return array;
}

describe('ParameterMemory.parallel of the WebAssembly backend (modules run on the kernel threads)', () => {
  let handle: KernelThreadsHandle | undefined;
  afterAll(async () => {
    await handle?.stop();
  });

  it('is the resident memory parallel field, with one thread until kernel threads start', () => {
    const array = kernels.allocateFloat32(4)!;
    expect(kernels.parameterMemoryOf([array])?.parallel).toBe(parallel);
    expect(parallel.threads).toBe(1);
  });

  it('runs one part per thread on disjoint ranges, and the helpers started after registration load the module', async () => {
    const module = parallel.register(parallelTestModule()); // before the threads start
    expect(module.exports).toEqual(['scale', 'trap']);
    expect(parallel.register(parallelTestModule())).toBe(module); // the same bytes, the same handle
    handle = await startKernelThreads({ threads: 3 });
    expect(parallel.threads).toBe(3);
    const array = counting();
    const address = array.byteOffset;
    // Three parts: elements [0, 1000) ×2 and [1000, 3000) ×3 on the helpers, [3000, 4096) ×0.5 here.
    parallel.run(module, 'scale', [
      [address, 1000, 2],
      [address + 4000, 2000, 3],
      [address + 12000, 1096, 0.5],
    ]);
    const expected = Float32Array.from(array, (_, index) => (index + 1) * (index < 1000 ? 2 : index < 3000 ? 3 : 0.5));
    expect(Array.from(array)).toEqual(Array.from(expected));
    // Fewer parts than threads are fine; floats are rounded to f32 as a direct call rounds them.
    parallel.run(module, 'scale', [[address, 1, 0.1]]);
    expect(array[0]).toBe(Math.fround(2 * Math.fround(0.1)));
  });

  it('reports a part that traps, on a helper as an AnnetError and on the calling thread as itself, after every part finished', () => {
    const module = parallel.register(parallelTestModule());
    // The helper's part reads past the end of the memory (a trap) while the calling thread scales
    // a long array. Normally the helper claims its part first and flags the failure; on a busy
    // machine the caller may take the part over and trap itself: both report the trap.
    const long = kernels.allocateFloat32(1 << 20)!;
    const beyond = kernels.sharedMemory!.buffer.byteLength; // after the allocation, which may grow the memory
    let caught: unknown;
    try {
      parallel.run(module, 'scale', [
        [beyond, 4, 1],
        [long.byteOffset, long.length, 1],
      ]);
    } catch (error) {
      caught = error;
    }
    if (caught instanceof AnnetError)
      expect(caught).toEqual(
        new AnnetError('INVALID_STATE', 'ParallelKernels.run', 'kernel thread 0 failed while running "scale"'),
      );
    else expect(caught).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(() => parallel.run(module, 'trap', [[0]])).toThrow(WebAssembly.RuntimeError);
    // The threads still serve: a later run works.
    const array = counting();
    parallel.run(module, 'scale', [
      [array.byteOffset, 2, 2],
      [array.byteOffset + 8, 2, 2],
    ]);
    expect(Array.from(array.subarray(0, 5))).toEqual([2, 4, 6, 8, 5]);
  });

  it('refuses what is not a module on this memory, unknown exports and too many parts or arguments, with AnnetErrors', () => {
    const module = parallel.register(parallelTestModule());
    const fails = (action: () => unknown, message: RegExp) => {
      expect(action).toThrow(AnnetError);
      expect(action).toThrow(message);
    };
    fails(
      () => parallel.register([0, 97] as unknown as Uint8Array),
      /register: expected the bytes of a WebAssembly module as a Uint8Array, got \[object Array\]/,
    );
    fails(
      () => parallel.register(new Uint8Array([1, 2, 3])),
      /register: expected the bytes of a WebAssembly module, got 3 bytes that do not compile/,
    );
    // An empty module (magic and version only) imports nothing.
    fails(
      () => parallel.register(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])),
      /must import exactly the shared memory as env.memory, got imports \[\]/,
    );
    fails(() => parallel.run({ exports: ['scale'] }, 'scale', []), /run: expected a module registered on this memory/);
    fails(
      () => parallel.run(module, 'shrink', [[0, 0, 1]]),
      /no function named "shrink" among its exports "scale", "trap"/,
    );
    fails(
      () =>
        parallel.run(module, 'scale', [
          [0, 0, 1],
          [0, 0, 1],
          [0, 0, 1],
          [0, 0, 1],
        ]),
      /got 4 parts but 3 threads run/,
    );
    fails(() => parallel.run(module, 'scale', [new Array<number>(17).fill(0)]), /a part has 17 arguments; at most 16/);
  });

  it('runs every part on the calling thread after the threads stop', async () => {
    await handle!.stop();
    expect(parallel.threads).toBe(1);
    const module = parallel.register(parallelTestModule());
    const array = counting();
    parallel.run(module, 'scale', [[array.byteOffset, 3, -1]]);
    expect(Array.from(array.subarray(0, 4))).toEqual([-1, -2, -3, 4]);
  });

  it('runs a part here when its helper has not claimed it, and takes a helper that claimed one and never finished for dead', () => {
    // A pool with no thread behind its control block: nobody claims the posted part.
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const own = new KernelParallelism(memory, kernels.memory);
    const module = own.register(parallelTestModule());
    const pool = new KernelThreads(new Int32Array(new SharedArrayBuffer(4 * controlWords)), 1, 50);
    const internals = own as unknown as { pool: KernelThreads; loaded: number };
    internals.pool = pool; // as if its helper had loaded the module
    internals.loaded = 1;
    expect(own.threads).toBe(2);
    const values = new Float32Array(memory.buffer, 64, 8).fill(1);
    own.run(module, 'scale', [
      [64, 4, 2],
      [80, 4, 3],
    ]);
    expect(Array.from(values)).toEqual([2, 2, 2, 2, 3, 3, 3, 3]);
    expect(own.threads).toBe(2);
    // Now as if the helper had claimed the part and died.
    pool.take = () => false;
    expect(() =>
      own.run(module, 'scale', [
        [64, 4, 2],
        [80, 4, 2],
      ]),
    ).toThrow(/ParallelKernels.run: kernel thread 0 did not finish "scale" within 50 ms; kernel threads are stopped/);
    expect(own.threads).toBe(1);
    own.run(module, 'scale', [[64, 8, 0.5]]);
    expect(Array.from(values)).toEqual([1, 1, 1, 1, 3, 3, 3, 3]);
  });
});
