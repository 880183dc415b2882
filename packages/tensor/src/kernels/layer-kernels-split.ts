import { layerKernelBytes, type LayerKernelExports } from './layer-kernels.js';
import { kernelSplitMinimumElements, splitKernel } from './split-kernel.js';

/**
 * The layer module's passes split across the kernel threads (GELU, the elementwise add and
 * product in 16-element groups, LayerNorm forward and the masked softmax in whole rows, column
 * sums in ranges of whole 16-column blocks; see `split-kernel.ts` for why the result is
 * bit-identical). LayerNorm's backward is not split: its dγ and dβ sum over all rows.
 *
 * In the baby GPT step the split passes are GELU over [768, 512] (forward and backward) and its
 * gradient product, the masked softmax over [12·4·64, 64], LayerNorm over [768, 128], the
 * residual stream's adds over [768, 128] and the bias gradients of the [768, 128..512]
 * projections. Splitting the adds, products and column sums took the GPT step on 2 threads from
 * 80.6-81.3 to 78.4-79.0 ms (alternated runs). The threshold is {@link kernelSplitMinimumElements}.
 */
export const layerSplitMinimumElements = kernelSplitMinimumElements;

/**
 * {@link splitKernel} on the layer kernel module: runs layer kernel `name` over `units` units
 * (rows, or 16-element groups) split into one range per thread when kernel threads run and
 * `elements` reaches {@link layerSplitMinimumElements}; returns false when it did not split.
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
  return splitKernel(layerKernelBytes(), name, units, elements, fill);
}
