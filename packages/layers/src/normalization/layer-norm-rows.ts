import type { FloatData } from '../buffers.js';

/**
 * LayerNorm's forward over `rows` rows of `size` values (row r of the input from
 * `inputOffset + r·size`, of the output from `r·size`): μ = Σx/D, σ² = Σ(x − μ)²/D (two passes,
 * float64), y = (x − μ)/√(σ² + ε)·γ + β. Keeps μ and 1/√(σ² + ε) per row for the backward pass.
 * Each sum runs four accumulators, so it is not one long chain of dependent additions.
 *
 * @example
 * layerNormForward(x, 0, y, rows, 128, 1e-5, gamma, beta, rowMeans, rowInverseDeviations);
 */
export function layerNormForward(
  input: FloatData,
  inputOffset: number,
  output: FloatData,
  rows: number,
  size: number,
  epsilon: number,
  gamma: FloatData,
  beta: FloatData,
  mean: Float64Array,
  inverseDeviation: Float64Array,
): void {
  for (let row = 0; row < rows; row++) {
    const base = inputOffset + row * size;
    const mu = rowSum(input, base, size) / size;
    const scale = 1 / Math.sqrt(rowSquaredDeviations(input, base, size, mu) / size + epsilon);
    mean[row] = mu;
    inverseDeviation[row] = scale;
    const start = row * size;
    for (let i = 0; i < size; i++) output[start + i] = (input[base + i] - mu) * scale * gamma[i] + beta[i];
  }
}

/**
 * Only the statistics of {@link layerNormForward}: μ and 1/√(σ² + ε) of every row, computed the
 * same way (for a backward pass after a forward that did not keep them).
 *
 * @example
 * layerNormStatistics(x, 0, rows, 128, 1e-5, rowMeans, rowInverseDeviations);
 */
export function layerNormStatistics(
  input: FloatData,
  inputOffset: number,
  rows: number,
  size: number,
  epsilon: number,
  mean: Float64Array,
  inverseDeviation: Float64Array,
): void {
  for (let row = 0; row < rows; row++) {
    const base = inputOffset + row * size;
    const mu = rowSum(input, base, size) / size;
    mean[row] = mu;
    inverseDeviation[row] = 1 / Math.sqrt(rowSquaredDeviations(input, base, size, mu) / size + epsilon);
  }
}

/** Σ values[base + i] for i < size, in four interleaved partial sums. */
function rowSum(values: FloatData, base: number, size: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < size; i += 4) {
    s0 += values[base + i];
    s1 += values[base + i + 1];
    s2 += values[base + i + 2];
    s3 += values[base + i + 3];
  }
  for (; i < size; i++) s0 += values[base + i];
  return s0 + s1 + (s2 + s3);
}

/** Σ (values[base + i] − mu)² for i < size, in four interleaved partial sums. */
function rowSquaredDeviations(values: FloatData, base: number, size: number, mu: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < size; i += 4) {
    const d0 = values[base + i] - mu;
    const d1 = values[base + i + 1] - mu;
    const d2 = values[base + i + 2] - mu;
    const d3 = values[base + i + 3] - mu;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < size; i++) {
    const d = values[base + i] - mu;
    s0 += d * d;
  }
  return s0 + s1 + (s2 + s3);
}

/**
 * LayerNorm's backward over the rows {@link layerNormForward} normalized, with g = dy ⊙ γ and
 * x̂ = (x − μ)/√(σ² + ε): dx = (g − mean g − x̂·mean(g ⊙ x̂))/√(σ² + ε), written from index 0;
 * dγ += Σ_rows dy ⊙ x̂ and dβ += Σ_rows dy (the caller zeroes them first).
 *
 * @example
 * layerNormBackward(x, 0, dy, 0, dx, rows, 128, rowMeans, rowInverseDeviations, gamma, gammaGradient, betaGradient);
 */
export function layerNormBackward(
  input: FloatData,
  inputOffset: number,
  outputGradient: FloatData,
  gradientOffset: number,
  inputGradient: FloatData,
  rows: number,
  size: number,
  mean: Float64Array,
  inverseDeviation: Float64Array,
  gamma: FloatData,
  gammaGradient: FloatData,
  betaGradient: FloatData,
): void {
  for (let row = 0; row < rows; row++) {
    const base = inputOffset + row * size;
    const gradientBase = gradientOffset + row * size;
    const mu = mean[row];
    const scale = inverseDeviation[row];
    // Two partial sums of each, over even and odd i, so that the additions overlap.
    let sumG0 = 0;
    let sumG1 = 0;
    let sumGNormalized0 = 0;
    let sumGNormalized1 = 0;
    let i = 0;
    for (; i + 1 < size; i += 2) {
      const normalized0 = (input[base + i] - mu) * scale;
      const normalized1 = (input[base + i + 1] - mu) * scale;
      const g0 = outputGradient[gradientBase + i];
      const g1 = outputGradient[gradientBase + i + 1];
      gammaGradient[i] += g0 * normalized0;
      gammaGradient[i + 1] += g1 * normalized1;
      betaGradient[i] += g0;
      betaGradient[i + 1] += g1;
      const scaled0 = g0 * gamma[i];
      const scaled1 = g1 * gamma[i + 1];
      sumG0 += scaled0;
      sumG1 += scaled1;
      sumGNormalized0 += scaled0 * normalized0;
      sumGNormalized1 += scaled1 * normalized1;
    }
    if (i < size) {
      const normalized = (input[base + i] - mu) * scale;
      const g = outputGradient[gradientBase + i];
      gammaGradient[i] += g * normalized;
      betaGradient[i] += g;
      sumG0 += g * gamma[i];
      sumGNormalized0 += g * gamma[i] * normalized;
    }
    const meanG = (sumG0 + sumG1) / size;
    const meanGNormalized = (sumGNormalized0 + sumGNormalized1) / size;
    const start = row * size;
    for (i = 0; i < size; i++) {
      const normalized = (input[base + i] - mu) * scale;
      inputGradient[start + i] =
        scale * (outputGradient[gradientBase + i] * gamma[i] - meanG - normalized * meanGNormalized);
    }
  }
}
