import { layerKernelBytes, type LayerKernelExports } from './layer-kernels.js';
import { kernelSplitMinimumElements, splitKernel } from './split-kernel.js';

/**
 * The layer module's passes split across the kernel threads (GELU in 16-element groups, LayerNorm
 * forward and the masked softmax in whole rows; see `split-kernel.ts` for why the result is
 * bit-identical). Passes that sum over rows (LayerNorm's dγ, dβ) are not split.
 *
 * In the baby GPT step the split passes are GELU over [768, 512] (forward and backward), the
 * masked softmax over [12·4·64, 64] and LayerNorm over [768, 128]. The threshold is
 * {@link kernelSplitMinimumElements}.
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
