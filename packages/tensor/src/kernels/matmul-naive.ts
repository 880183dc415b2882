import type { MatmulArguments } from './kernels.js';

/**
 * The plainest correct matmul: one float64 dot product per output element, summed in order
 * p = 0 … k-1. Slow (about 1 GFLOP/s) but obviously right, so the blocked kernel and every other
 * backend are tested against it; {@link matmulBlocked} also uses it for tiny products, where
 * packing would cost more than it saves.
 *
 * out[i, j] (+)= Σ_p op(A)[i, p] · op(B)[p, j]
 *
 * @example
 * const out = new Float32Array(4);
 * matmulNaive({ a: new Float32Array([1, 2, 3, 4]), aOffset: 0, lda: 2, transposeA: false,
 *   b: new Float32Array([5, 6, 7, 8]), bOffset: 0, ldb: 2, transposeB: false,
 *   out, outOffset: 0, ldc: 2, m: 2, n: 2, k: 2, accumulate: false });
 * // out = [19, 22, 43, 50]
 */
export function matmulNaive<T extends Float32Array | Float64Array>(args: MatmulArguments<T>): void {
  const { a, aOffset, lda, transposeA, b, bOffset, ldb, transposeB, out, outOffset, ldc, m, n, k, accumulate } = args;
  // Step along k in A and B, and along i / j, as the storage order of each operand dictates.
  const aRowStep = transposeA ? 1 : lda;
  const aDepthStep = transposeA ? lda : 1;
  const bDepthStep = transposeB ? 1 : ldb;
  const bColumnStep = transposeB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let aIndex = aOffset + i * aRowStep;
      let bIndex = bOffset + j * bColumnStep;
      for (let p = 0; p < k; p++) {
        sum += a[aIndex] * b[bIndex];
        aIndex += aDepthStep;
        bIndex += bDepthStep;
      }
      const outIndex = outOffset + i * ldc + j;
      out[outIndex] = accumulate ? out[outIndex] + sum : sum;
    }
  }
}
