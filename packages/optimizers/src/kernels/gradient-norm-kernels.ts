import type { ParallelKernels, ParallelModule, ParameterMemory } from '@annet/layer-api';
import { normBlockElements } from '../gradients/norm-reductions.js';
import { directKernelsFor, isShared, sharedKernelBytes } from './optimizer-kernels.js';

/**
 * clipGradNorm's WebAssembly SIMD kernels (assembly/gradient-norm.ts), bound to one memory:
 * addresses and lengths of float32 gradients in that memory, float64 totals and coefficients.
 */
export interface GradientNormKernels {
  /** `total` plus the sum of squares of the gradient, in the order of `sumOfSquaresInBlocks` (the gradient starts a block). */
  sumOfSquares(gradient: number, length: number, total: number): number;
  /** Writes each block's sum of squares to the float64s at `partials`, one per block in order. */
  blockSumsOfSquares(gradient: number, length: number, partials: number): void;
  /** The larger of `current` and the gradient's largest magnitude; NaN when either holds NaN. */
  maxMagnitude(gradient: number, length: number, current: number): number;
  /** `g ← float32(float64(g) · coefficient)` in place, as TypeScript's `gradient[i] *= coefficient`. */
  scale(gradient: number, length: number, coefficient: number): void;
}

/** clipGradNorm's passes over float32 gradients that live in one {@link ParameterMemory}. */
export interface ResidentNormPasses {
  /** `total` plus the gradient's sum of squares, bit-identical to `sumOfSquaresInBlocks(gradient, total)`. */
  sumOfSquares(gradient: Float32Array, total: number): number;
  /** The larger of `current` and the gradient's largest magnitude, as `largestMagnitude(gradient, current)`. */
  maxMagnitude(gradient: Float32Array, current: number): number;
  /** Multiplies the gradient by `coefficient` in place, bit-identical to `gradient[i] *= coefficient`. */
  scale(gradient: Float32Array, coefficient: number): void;
}

/**
 * A gradient this long or longer is split across the kernel threads (when more than one runs),
 * in parts of whole blocks, at least half this long. See {@link normPassesFor} for what it buys.
 *
 * @example
 * gradient.length >= parallelNormMinimumElements; // its sum and its scaling are shared by the threads
 */
export const parallelNormMinimumElements = 16_384;

/** The passes of each memory, and the `parallel` they were made for. */
const passesByMemory = new WeakMap<
  WebAssembly.Memory,
  { readonly parallel: ParallelKernels | undefined; readonly passes: ResidentNormPasses | null }
>();

/**
 * clipGradNorm's SIMD passes over gradients in `memory` (a parameter's `memory`), or `null` where
 * this runtime cannot run the kernels there (clipGradNorm then runs its TypeScript loops, which
 * give the same bits). Made once per memory.
 *
 * With `memory.parallel` and more than one thread running, a gradient of at least
 * {@link parallelNormMinimumElements} elements is cut into one contiguous range of whole blocks
 * per thread (the calling thread takes the last): each thread writes its blocks' sums into a
 * resident float64 array, which the calling thread then adds in block order, so the total is the
 * one-thread total bit for bit. Scaling splits the same ranges, so each thread scales what it has
 * just read. A memory without room for that array, or a `parallel` that refuses the module, keeps
 * one thread.
 *
 * @example
 * const passes = normPassesFor(parameter.memory);
 * const total = passes?.sumOfSquares(parameter.grad as Float32Array, 0);
 */
export function normPassesFor(memory: ParameterMemory): ResidentNormPasses | null {
  const known = passesByMemory.get(memory.memory);
  if (known !== undefined && known.parallel === memory.parallel) return known.passes;
  const direct = directKernelsFor(memory.memory);
  const passes =
    direct === null
      ? null
      : memory.parallel === undefined || !isShared(memory.memory)
        ? directPasses(direct)
        : splitPasses(direct, memory);
  passesByMemory.set(memory.memory, { parallel: memory.parallel, passes });
  return passes;
}

function directPasses(direct: GradientNormKernels): ResidentNormPasses {
  return {
    sumOfSquares: (gradient, total) => direct.sumOfSquares(gradient.byteOffset, gradient.length, total),
    maxMagnitude: (gradient, current) => direct.maxMagnitude(gradient.byteOffset, gradient.length, current),
    scale: (gradient, coefficient) => direct.scale(gradient.byteOffset, gradient.length, coefficient),
  };
}

/** The passes splitting large gradients across `memory.parallel`'s threads (see {@link normPassesFor}). */
function splitPasses(direct: GradientNormKernels, memory: ParameterMemory): ResidentNormPasses {
  const parallel = memory.parallel as ParallelKernels;
  const one = directPasses(direct);
  let module: ParallelModule | null | undefined;
  /** The block sums, a float64 view of a resident float32 array, `store`, kept reachable here (its owner frees it when collected). */
  const room: { store: Float32Array | null; partials: Float64Array | null } = { store: null, partials: null };
  /** Per part count, the parts' argument lists (reused, so a call allocates nothing). */
  const sumParts: number[][][] = [];
  const scaleParts: number[][][] = [];

  /** How many parts `gradient` is split into now; 1 for one thread. Prepares the module and the block sums' room. */
  const partsFor = (gradient: Float32Array): number => {
    const threads = parallel.threads;
    const length = gradient.length;
    if (threads < 2 || length < parallelNormMinimumElements) return 1;
    const blocks = Math.ceil(length / normBlockElements);
    if (module === undefined) {
      try {
        module = parallel.register(sharedKernelBytes() as Uint8Array);
      } catch {
        module = null; // a memory owner that cannot run the module on its threads: one thread
      }
    }
    if (module === null || !roomForBlocks(blocks)) return 1;
    const count = Math.min(threads, Math.floor(length / (parallelNormMinimumElements / 2)));
    return Math.ceil(blocks / Math.ceil(blocks / count));
  };

  const roomForBlocks = (blocks: number): boolean => {
    if (room.partials !== null && room.partials.length >= blocks) return true;
    // One float32 more than needed, so a float64 view can start 8-byte aligned whatever the allocator gives.
    const store = memory.allocateFloat32(2 * blocks + 1);
    if (store === null) return false;
    room.store = store;
    room.partials = new Float64Array(store.buffer, store.byteOffset + (store.byteOffset % 8), blocks);
    return true;
  };

  /**
   * The `count` parts' argument lists for `gradient`: each range of whole blocks' address and
   * length, then `base + step · (the range's first block)` (the block sums' address, or the
   * coefficient with `step` 0).
   */
  const fill = (lists: number[][][], count: number, gradient: Float32Array, base: number, step: number) => {
    const parts = (lists[count] ??= Array.from({ length: count }, () => [0, 0, 0]));
    const length = gradient.length;
    const chunk = normBlockElements * Math.ceil(Math.ceil(length / normBlockElements) / count);
    for (let part = 0; part < count; part++) {
      const start = part * chunk;
      const list = parts[part];
      list[0] = gradient.byteOffset + 4 * start;
      list[1] = part === count - 1 ? length - start : chunk;
      list[2] = step === 0 ? base : base + step * (start / normBlockElements);
    }
    return parts;
  };

  return {
    sumOfSquares(gradient, total) {
      const count = partsFor(gradient);
      if (count === 1) return one.sumOfSquares(gradient, total);
      const sums = room.partials as Float64Array;
      parallel.run(module as ParallelModule, 'blockSumsOfSquares', fill(sumParts, count, gradient, sums.byteOffset, 8));
      const blocks = Math.ceil(gradient.length / normBlockElements);
      for (let block = 0; block < blocks; block++) total += sums[block];
      return total;
    },
    maxMagnitude: one.maxMagnitude,
    scale(gradient, coefficient) {
      const count = partsFor(gradient);
      if (count === 1) one.scale(gradient, coefficient);
      else parallel.run(module as ParallelModule, 'scale', fill(scaleParts, count, gradient, coefficient, 0));
    },
  };
}
