import type { FloatData } from '../buffers.js';

/*
 * The elementwise part of Dense's backward pass in one sweep over the [rows, width] gradient
 * (row-major): the activation's mask or derivative and the bias gradient db = Σ_rows dZ. Each
 * column's sum is a float64 running sum in row order, as the `sum` op of @annet/tensor adds
 * them, so db has the bits of `sum(dZ, 0)` and dZ those of `differentiateActivation`. The sweep
 * goes down four columns at a time, so the four sums stay in registers (about 1.7 times faster
 * than row by row with the sums in an array); the rows are at most a few hundred floats apart,
 * which the cache follows.
 */

/**
 * dZ = dY ⊙ f′(Y) into `result`, and, when `biasGradient` is given, biasGradient[j] = Σᵣ dZ[r, j]
 * (a float64 running sum per column, added in row order, then rounded once to the gradient's
 * dtype). f′ is [y > 0] for ReLU (dy·[y > 0] + 0, the + 0 turning −0 into +0), y(1 − y) for the
 * sigmoid and 1 − y² for tanh: the expressions of `differentiateActivation`. `output` and
 * `result` start at index 0, `outputGradient` at `gradientOffset`.
 *
 * @example
 * // y, dy: [64, 128] → dz: [64, 128], db: [128]
 * activationGradientAndBiasSum('relu', y.data, dy.data, 0, dz.data, 64, 128, db.data, 0);
 */
export function activationGradientAndBiasSum(
  activation: 'relu' | 'sigmoid' | 'tanh',
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  rows: number,
  width: number,
  biasGradient: FloatData | undefined,
  biasOffset: number,
): void {
  let column = 0;
  for (; column + 4 <= width; column += 4) {
    if (activation === 'relu')
      reluColumns(output, outputGradient, gradientOffset, result, rows, width, column, biasGradient, biasOffset);
    else
      derivativeColumns(
        activation === 'tanh',
        output,
        outputGradient,
        gradientOffset,
        result,
        rows,
        width,
        column,
        biasGradient,
        biasOffset,
      );
  }
  for (; column < width; column++) {
    let sum = 0;
    for (let row = 0, index = column; row < rows; row++, index += width) {
      const y = output[index];
      const dy = outputGradient[gradientOffset + index];
      result[index] =
        activation === 'relu' ? dy * +(y > 0) + 0 : activation === 'tanh' ? (1 - y * y) * dy : y * (1 - y) * dy;
      sum += result[index];
    }
    if (biasGradient !== undefined) biasGradient[biasOffset + column] = sum;
  }
}

/**
 * Columns first … first + 3 under ReLU, and their bias gradients when asked: dy·[y > 0] + 0 is
 * exact, so each sum adds the very value stored.
 */
function reluColumns(
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  rows: number,
  width: number,
  first: number,
  biasGradient: FloatData | undefined,
  biasOffset: number,
): void {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  for (let row = 0, index = first, from = gradientOffset + first; row < rows; row++, index += width, from += width) {
    const value0 = outputGradient[from] * +(output[index] > 0) + 0;
    const value1 = outputGradient[from + 1] * +(output[index + 1] > 0) + 0;
    const value2 = outputGradient[from + 2] * +(output[index + 2] > 0) + 0;
    const value3 = outputGradient[from + 3] * +(output[index + 3] > 0) + 0;
    result[index] = value0;
    result[index + 1] = value1;
    result[index + 2] = value2;
    result[index + 3] = value3;
    sum0 += value0;
    sum1 += value1;
    sum2 += value2;
    sum3 += value3;
  }
  if (biasGradient !== undefined) storeFour(biasGradient, biasOffset + first, sum0, sum1, sum2, sum3);
}

/** As {@link reluColumns} for the sigmoid or tanh: each sum adds dZ as stored (rounded to float32 when `result` is). */
function derivativeColumns(
  tanh: boolean,
  output: FloatData,
  outputGradient: FloatData,
  gradientOffset: number,
  result: FloatData,
  rows: number,
  width: number,
  first: number,
  biasGradient: FloatData | undefined,
  biasOffset: number,
): void {
  let sum0 = 0;
  let sum1 = 0;
  let sum2 = 0;
  let sum3 = 0;
  for (let row = 0, index = first, from = gradientOffset + first; row < rows; row++, index += width, from += width) {
    for (let lane = 0; lane < 4; lane++) {
      const y = output[index + lane];
      result[index + lane] = tanh
        ? (1 - y * y) * outputGradient[from + lane]
        : y * (1 - y) * outputGradient[from + lane];
    }
    sum0 += result[index];
    sum1 += result[index + 1];
    sum2 += result[index + 2];
    sum3 += result[index + 3];
  }
  if (biasGradient !== undefined) storeFour(biasGradient, biasOffset + first, sum0, sum1, sum2, sum3);
}

function storeFour(out: FloatData, at: number, first: number, second: number, third: number, fourth: number): void {
  out[at] = first;
  out[at + 1] = second;
  out[at + 2] = third;
  out[at + 3] = fourth;
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
