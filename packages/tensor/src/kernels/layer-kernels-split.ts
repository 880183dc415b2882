import type { ParallelModule } from '@annet/layer-api';
import { activeKernels } from './kernel-selection.js';
import { layerKernelBytes, type LayerKernelExports } from './layer-kernels.js';
import type { KernelParallelism } from './parallel-kernels.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * Splitting a layer kernel's pass (GELU, LayerNorm forward, masked softmax) between the calling
 * thread and the kernel threads, each part a disjoint range of whole rows (or, elementwise, of
 * 16-element groups, so every part's SIMD lanes line up as they do in one call): every output
 * element is computed by the same code on the same inputs as on one thread, so the result is
 * bit-identical. Passes that sum over rows (LayerNorm's dγ, dβ) are not split.
 *
 * Below {@link layerSplitMinimumElements} a pass runs in one call: posting a part and waiting for
 * it costs ~15-30 µs on the 2-vCPU VM (Atomics.notify of a sleeping helper measured 13 µs p50),
 * which a pass over fewer elements (about 50 µs of GELU) does not repay. In the baby GPT step the
 * split passes are GELU over [768, 512] (forward and backward), the masked softmax over
 * [12·4·64, 64] and LayerNorm over [768, 128].
 */
export const layerSplitMinimumElements = 1 << 16;

/** Registered layer modules, per backend's parallelism (the helpers load it when threads start). */
const registered = new WeakMap<KernelParallelism, ParallelModule>();
/** Reused part lists, by thread count, so a steady-state pass allocates nothing. */
const partLists: number[][][] = [];

/**
 * The active backend's parallelism and its registered layer module when kernel threads run;
 * null on one thread (the caller then makes one call itself).
 */
function threadedLayerKernels(): { parallel: KernelParallelism; module: ParallelModule } | null {
  const parallel = (activeKernels() as Partial<WasmKernels>).parallel;
  if (parallel == null || parallel.threads < 2) return null;
  let module = registered.get(parallel);
  if (module === undefined) {
    module = parallel.register(layerKernelBytes());
    registered.set(parallel, module);
  }
  return { parallel, module };
}

/**
 * Runs layer kernel `name` over `units` units (rows, or 16-element groups) split into one range
 * per thread when kernel threads run and `elements` reaches {@link layerSplitMinimumElements};
 * `fill(part, start, count)` writes the export's arguments for units [start, start + count) into
 * `part` (whose length it sets). Returns false when it did not split (the caller makes its one call).
 *
 * @example
 * // GELU over `size` values at byte addresses x and y, shared in 16-element groups:
 * const split = splitLayerKernel('geluTanhF32', Math.ceil(size / 16), size, (part, start, count) => {
 *   part.length = 4;
 *   [part[0], part[1], part[2], part[3]] = [x + 64 * start, y + 64 * start, 0, Math.max(0, Math.min(16 * count, size - 16 * start))];
 * });
 */
export function splitLayerKernel(
  name: keyof LayerKernelExports,
  units: number,
  elements: number,
  fill: (part: number[], start: number, count: number) => void,
): boolean {
  if (elements < layerSplitMinimumElements) return false;
  const threaded = threadedLayerKernels();
  if (threaded === null) return false;
  const count = Math.min(threaded.parallel.threads, units);
  if (count < 2) return false;
  const used = (partLists[count] ??= Array.from({ length: count }, () => []));
  const each = Math.ceil(units / count);
  for (let index = 0; index < count; index++) {
    const start = index * each;
    fill(used[index], start, Math.max(0, Math.min(each, units - start)));
  }
  threaded.parallel.run(threaded.module, name, used);
  return true;
}
