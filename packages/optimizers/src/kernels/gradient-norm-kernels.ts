import type { ParameterMemory } from '@annet/layer-api';
import { directKernelsFor } from './optimizer-kernels.js';

/**
 * clipGradNorm's WebAssembly SIMD kernels (assembly/gradient-norm.ts), bound to one memory:
 * addresses and lengths of float32 gradients in that memory, float64 totals and coefficients.
 */
export interface GradientNormKernels {
  /** `total` plus the sum of squares of the gradient, in the order of `sumOfSquaresInBlocks` (bit for bit). */
  sumOfSquares(gradient: number, length: number, total: number): number;
  /** The larger of `current` and the gradient's largest magnitude; NaN when either holds NaN. */
  maxMagnitude(gradient: number, length: number, current: number): number;
  /** `g ← float32(float64(g) · coefficient)` in place, as TypeScript's `gradient[i] *= coefficient`. */
  scale(gradient: number, length: number, coefficient: number): void;
}

/**
 * clipGradNorm's SIMD kernels for gradients in `memory` (a parameter's `memory`), or `null` where
 * this runtime cannot run them there (clipGradNorm then runs its TypeScript loops, which give the
 * same bits). The instance is the optimizers' own, made once per memory.
 *
 * They run on the calling thread even when `memory.parallel` has kernel threads: splitting the
 * passes did not pay on the development VM (2 vCPUs of an AMD EPYC, a cross-core round trip of
 * about 450 ns). Measured on the baby GPT's gradients (52 arrays, 812k elements) right after its
 * backward pass with 2 kernel threads, medians of 12-15 steps, alternated in one process, two
 * runs: clipGradNorm took 0.38-0.40 ms on one thread and 0.45-0.51 ms with every gradient of
 * 16,384 elements or more cut into two ranges of whole blocks (the calling thread adding the
 * block sums in order, bit-identical; commit 92d8760 on branch wave2s5/clip); the sum alone
 * 0.19-0.20 ms against 0.32-0.34 ms; clipGradNorm followed by the AdamW step (itself split across
 * the threads) 1.54-1.59 ms either way. A single 4M-element gradient written just before took
 * 1.7-1.8 ms on one thread and 1.3 or 2.4 ms split, depending on the run. The fixed blocks of the
 * sum (see `sumOfSquaresInBlocks`) keep such a split bit-identical should a machine where it pays
 * want one.
 *
 * @example
 * const kernels = gradientNormKernelsFor(parameter.memory);
 * const total = kernels?.sumOfSquares(parameter.grad.byteOffset, parameter.grad.length, 0);
 */
export function gradientNormKernelsFor(memory: ParameterMemory): GradientNormKernels | null {
  return directKernelsFor(memory.memory);
}
