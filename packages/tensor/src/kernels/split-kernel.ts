import type { ParallelModule } from '@annet/layer-api';
import { activeKernels } from './kernel-selection.js';
import type { KernelParallelism } from './parallel-kernels.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * Splitting one pass of a layer-assembly module (the layer, image and image-normalization
 * modules) between the calling thread and the kernel threads, one disjoint range of units per
 * thread: whole rows or images, aligned 16-element groups, or (for sums) whole channels. Each
 * output element is then computed by the same code on the same inputs, in the same order, as in
 * one call, so the result is bit-identical to one thread.
 *
 * Below {@link kernelSplitMinimumElements} a pass runs in one call: posting a part and waiting for
 * it costs ~15-30 µs on the 2-vCPU VM (Atomics.notify of a sleeping helper measured 13 µs p50),
 * which a pass over fewer elements (about 50 µs of GELU) does not repay. In the ResNet step at
 * batch 64 (2 threads) the smallest passes at it, BatchNorm's normalization and input gradient
 * and the block transposes over [64, 64, 16], took 22-37 µs in one call and 16-27 µs split;
 * the 1×1 projections' im2col and col2im below it (50,176 and 32,768 values) stay whole.
 */
export const kernelSplitMinimumElements = 1 << 16;

/** Each module's handle, per backend's parallelism (the helpers load it when it is registered). */
const registered = new WeakMap<KernelParallelism, Map<Uint8Array, ParallelModule>>();
/** Reused part lists, by thread count, so a steady-state pass allocates nothing. */
const partLists: number[][][] = [];

/** The active backend's parallelism when kernel threads run; null on one thread. */
function activeParallelism(): KernelParallelism | null {
  const parallel = (activeKernels() as Partial<WasmKernels>).parallel;
  return parallel == null || parallel.threads < 2 ? null : parallel;
}

/** `bytes`' module registered on `parallel` (once; later calls find it by identity, not by comparing bytes). */
function moduleOn(parallel: KernelParallelism, bytes: Uint8Array): ParallelModule {
  let modules = registered.get(parallel);
  if (modules === undefined) registered.set(parallel, (modules = new Map()));
  let module = modules.get(bytes);
  if (module === undefined) {
    module = parallel.register(bytes);
    modules.set(bytes, module);
  }
  return module;
}

/**
 * Runs export `name` of the module `bytes` (the same array at every call: a module set's decoded
 * bytes) over `units` units split into one range per thread when kernel threads run and
 * `elements` reaches `minimumElements` (passes whose one call is cheaper per value than
 * {@link kernelSplitMinimumElements} assumes pass a larger one, with their figures). `fill(part, start, count)` writes the
 * export's arguments for units [start, start + count) into `part` (whose length it sets; `count`
 * may be 0 for a trailing part). Returns false when it did not split: the caller makes its one call.
 *
 * @example
 * // ReLU over `size` values at byte addresses x and y, shared in 16-element groups:
 * const split = splitKernel(imageModules.bytes(1), 'reluF32', Math.ceil(size / 16), size, (part, start, count) => {
 *   part.length = 3;
 *   [part[0], part[1], part[2]] = [x + 64 * start, y + 64 * start, Math.max(0, Math.min(16 * count, size - 16 * start))];
 * });
 */
export function splitKernel(
  bytes: Uint8Array,
  name: string,
  units: number,
  elements: number,
  fill: (part: number[], start: number, count: number) => void,
  minimumElements = kernelSplitMinimumElements,
): boolean {
  if (elements < minimumElements) return false;
  const parallel = activeParallelism();
  if (parallel === null) return false;
  const count = Math.min(parallel.threads, units);
  if (count < 2) return false;
  const used = (partLists[count] ??= Array.from({ length: count }, () => []));
  const each = Math.ceil(units / count);
  for (let index = 0; index < count; index++) {
    const start = Math.min(index * each, units);
    fill(used[index], start, Math.max(0, Math.min(each, units - start)));
  }
  parallel.run(moduleOn(parallel, bytes), name, used);
  return true;
}
