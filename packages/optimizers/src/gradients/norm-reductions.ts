import type { FloatArray } from '@annet/layer-api';

/**
 * Elements per block of {@link sumOfSquaresInBlocks} (a multiple of 8); the kernels in
 * assembly/gradient-norm.ts use the same. Blocks make the order independent of how a gradient is
 * cut: threads summing whole blocks each, their block sums added in order, would give the same
 * bits as one thread. 4,096 elements (16 KB) keeps the block sums of a large gradient few (a
 * million elements make 245) while a block is long enough that combining its lanes costs nothing
 * measurable.
 *
 * @example
 * Math.ceil(65_536 / normBlockElements); // 16 block sums for a [128, 512] gradient
 */
export const normBlockElements = 4096;

/**
 * `total` plus the sum of the squares of `gradient`'s elements (computed in float64), in a fixed
 * order that the WebAssembly kernels follow too, on one thread or many, so that every path gives
 * the same bits:
 *
 * 1. the gradient is cut into blocks of {@link normBlockElements} elements from its first element
 *    (the last block may be shorter);
 * 2. within a block, element `i` goes into lane `i mod 8`: each lane `s_j` is a float64 sum, in
 *    element order starting from 0, of the squares of its elements;
 * 3. the lanes combine as `((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7))` (the order in which
 *    four float64 pairs of SIMD lanes fold);
 * 4. the block sums are added to `total` in block order.
 *
 * A float32 element's square is exact in float64 (a 48-bit product), so for float32 gradients only
 * the additions round: the result is within about `(4096 / 8 + blocks) · 2^−53` relative of the
 * exact sum. Eight independent sums also let the CPU overlap the additions (one serial float64
 * chain costs about 4 cycles per element): 0.34 ms against 0.56 ms for one chain over the baby
 * GPT's 812k elements in cache, and the SIMD kernel takes 0.11 ms.
 *
 * @example
 * sumOfSquaresInBlocks(Float32Array.of(3, 4), 0); // 25
 * sumOfSquaresInBlocks(Float32Array.of(12), 25); // 169: totals chain across gradients
 */
export function sumOfSquaresInBlocks(gradient: FloatArray, total: number): number {
  const length = gradient.length;
  for (let start = 0; start < length; start += normBlockElements) {
    total += blockSumOfSquares(gradient, start, Math.min(start + normBlockElements, length));
  }
  return total;
}

/** The sum of squares of `gradient[start..end)`, one block in the order of {@link sumOfSquaresInBlocks}. */
function blockSumOfSquares(gradient: FloatArray, start: number, end: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  let s6 = 0;
  let s7 = 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const x0 = gradient[i];
    const x1 = gradient[i + 1];
    const x2 = gradient[i + 2];
    const x3 = gradient[i + 3];
    const x4 = gradient[i + 4];
    const x5 = gradient[i + 5];
    const x6 = gradient[i + 6];
    const x7 = gradient[i + 7];
    s0 += x0 * x0;
    s1 += x1 * x1;
    s2 += x2 * x2;
    s3 += x3 * x3;
    s4 += x4 * x4;
    s5 += x5 * x5;
    s6 += x6 * x6;
    s7 += x7 * x7;
  }
  // The last 1 to 7 elements: block starts are multiples of 8, so element i + k is in lane k.
  const rest = end - i;
  if (rest > 0) s0 += gradient[i] * gradient[i];
  if (rest > 1) s1 += gradient[i + 1] * gradient[i + 1];
  if (rest > 2) s2 += gradient[i + 2] * gradient[i + 2];
  if (rest > 3) s3 += gradient[i + 3] * gradient[i + 3];
  if (rest > 4) s4 += gradient[i + 4] * gradient[i + 4];
  if (rest > 5) s5 += gradient[i + 5] * gradient[i + 5];
  if (rest > 6) s6 += gradient[i + 6] * gradient[i + 6];
  return s0 + s2 + (s4 + s6) + (s1 + s3 + (s5 + s7));
}

/**
 * The larger of `current` and the largest `|g|` of `gradient`; NaN once either holds NaN (a
 * maximum is exact, so its order does not matter).
 *
 * @example
 * largestMagnitude(Float32Array.of(3, -4), 0); // 4
 */
export function largestMagnitude(gradient: FloatArray, current: number): number {
  let largest = current;
  for (let i = 0; i < gradient.length; i++) {
    const magnitude = Math.abs(gradient[i]);
    largest = magnitude > largest || Number.isNaN(magnitude) ? magnitude : largest;
  }
  return largest;
}

/**
 * `total` plus `Σ |g|^p` over `gradient`, in element order (any `normType` but 2 and ∞).
 *
 * @example
 * sumOfPowers(Float32Array.of(3, -4), 1, 0); // 7
 */
export function sumOfPowers(gradient: FloatArray, normType: number, total: number): number {
  for (let i = 0; i < gradient.length; i++) total += Math.abs(gradient[i]) ** normType;
  return total;
}
