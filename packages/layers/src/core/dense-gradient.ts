import type { FloatData } from '../buffers.js';

/*
 * The elementwise part of Dense's backward pass in one sweep over the [rows, width] gradient
 * (row-major): the activation's mask or derivative and the bias gradient db = Σ_rows dZ. The
 * column sums accumulate in float64 (`sums`, one per column), each in row order, as the `sum`
 * op of @annet/tensor adds them, so db has the bits of `sum(dZ, 0)` and dZ those of
 * `differentiateActivation`; reading dZ once instead of twice is what this saves.
 */

/**
 * dZ = dY ⊙ f′(Y) into `result`, and, when `biasGradient` is given, biasGradient[j] = Σᵣ dZ[r, j]
 * (a float64 running sum per column in `sums`, at least `width` long, added in row order, then
 * rounded once to the gradient's dtype). f′ is [y > 0] for ReLU (dy·[y > 0] + 0, the + 0 turning
 * −0 into +0), y(1 − y) for the sigmoid and 1 − y² for tanh: the expressions of
 * `differentiateActivation`. `output` and `result` start at index 0, `outputGradient` at
 * `gradientOffset`.
 *
 * @example
 * // y, dy: [64, 128] → dz: [64, 128], db: [128]
 * activationGradientAndBiasSum('relu', y.data, dy.data, 0, dz.data, 64, 128, sums, db.data, 0);
 */
export function activationGradientAndBiasSum(
  activation: 'relu' | 'sigmoid' | 'tanh',
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  rows: number,
  width: number,
  sums: Float64Array,
  biasGradient: FloatData | undefined,
  biasOffset: number,
): void {
  sums.fill(0, 0, width);
  if (activation === 'relu') reluRows(output, outputGradient, gradientOffset, result, rows, width, sums);
  else derivativeRows(activation === 'tanh', output, outputGradient, gradientOffset, result, rows, width, sums);
  if (biasGradient !== undefined)
    for (let column = 0; column < width; column++) biasGradient[biasOffset + column] = sums[column];
}

/** The ReLU rows: dy·[y > 0] + 0 is exact, so the sum adds the very value stored. */
function reluRows(
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  rows: number,
  width: number,
  sums: Float64Array,
): void {
  for (let row = 0, start = 0; row < rows; row++, start += width) {
    for (let column = 0, index = start; column < width; column++, index++) {
      const value = outputGradient[gradientOffset + index] * +(output[index] > 0) + 0;
      result[index] = value;
      sums[column] += value;
    }
  }
}

/** The sigmoid or tanh rows: the sum adds dZ as stored (rounded to float32 when `result` is). */
function derivativeRows(
  tanh: boolean,
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  rows: number,
  width: number,
  sums: Float64Array,
): void {
  for (let row = 0, start = 0; row < rows; row++, start += width) {
    for (let column = 0, index = start; column < width; column++, index++) {
      const y = output[index];
      result[index] = tanh
        ? (1 - y * y) * outputGradient[gradientOffset + index]
        : y * (1 - y) * outputGradient[gradientOffset + index];
      sums[column] += result[index];
    }
  }
}

/**
 * out[j] = Σᵣ values[offset + r·width + j] for j < width: the bias gradient of a linear Dense,
 * with a float64 running sum per column in `sums` (at least `width` long), added in row order
 * and rounded once: the bits of `sum(values, 0)`, in one row-major sweep instead of a strided
 * walk per column.
 *
 * @example
 * sumRows(dz.data, 0, 64, 10, sums, db.data, 0); // dz: [64, 10] → db: [10]
 */
export function sumRows(
  values: FloatData,
  offset: number,
  rows: number,
  width: number,
  sums: Float64Array,
  out: FloatData,
  outOffset: number,
): void {
  sums.fill(0, 0, width);
  for (let row = 0, start = offset; row < rows; row++, start += width)
    for (let column = 0; column < width; column++) sums[column] += values[start + column];
  for (let column = 0; column < width; column++) out[outOffset + column] = sums[column];
}
