import type { FloatData } from '../buffers.js';

/*
 * The per-channel loops around Conv2D's matmuls, over [N, F, P] data (P = H′·W′ positions,
 * row-major from `offset`). Plain loops over typed arrays: the general elementwise and reduce
 * engines walk a broadcast or reduction plan per element, which costs more than these additions.
 * Sums accumulate in a float64 local in the order the reduce engine uses (row-major over the
 * summed axes), so they give the same bits as `sum`.
 */

/**
 * y[n, f, p] += bias[f], in place.
 *
 * @example
 * addChannelBias(y.data, 0, 64, 16, 784, biases.data, 0); // y: [64, 16, 28·28]
 */
export function addChannelBias(
  y: FloatData,
  offset: number,
  batch: number,
  channels: number,
  positions: number,
  bias: FloatData,
  biasOffset: number,
): void {
  let row = offset;
  for (let n = 0; n < batch; n++) {
    for (let f = 0; f < channels; f++, row += positions) {
      const value = bias[biasOffset + f];
      const end = row + positions;
      let index = row;
      // Unrolled by four: in V8 a loop's back edge costs more than one addition.
      for (; index + 4 <= end; index += 4) {
        y[index] += value;
        y[index + 1] += value;
        y[index + 2] += value;
        y[index + 3] += value;
      }
      for (; index < end; index++) y[index] += value;
    }
  }
}

/**
 * y[n, f, p] = max(0, y[n, f, p] + bias[f]) in place (no bias: bias[f] = 0), the ReLU layer's
 * exact rule fused into the bias pass: NaN stays NaN, −∞ and −0 become +0. Rounding the sum to
 * float32 before or after the ReLU gives the same bits, so this equals the bias add followed by
 * a ReLU layer.
 *
 * @example
 * addChannelBiasRelu(y.data, 0, 64, 16, 784, biases.data, 0);
 */
export function addChannelBiasRelu(
  y: FloatData,
  offset: number,
  batch: number,
  channels: number,
  positions: number,
  bias: FloatData | undefined,
  biasOffset: number,
): void {
  let row = offset;
  for (let n = 0; n < batch; n++) {
    for (let f = 0; f < channels; f++, row += positions) {
      const value = bias === undefined ? 0 : bias[biasOffset + f];
      const end = row + positions;
      let index = row;
      for (; index + 2 <= end; index += 2) {
        y[index] = relu(y[index] + value);
        y[index + 1] = relu(y[index + 1] + value);
      }
      for (; index < end; index++) y[index] = relu(y[index] + value);
    }
  }
}

/**
 * max(0, z) as the ReLU layer computes it: z·[z > 0] + 0 is branch-free (random signs would
 * mispredict a branch half the time) and exact for finite z; the rare NaN result (from ±∞ or NaN)
 * takes the predictable second test, which keeps NaN and maps −∞ to 0.
 */
function relu(z: number): number {
  const result = z * +(z > 0) + 0;
  return result === result ? result : z !== z ? z : 0;
}

/**
 * out[f] = Σₙ Σₚ dy[n, f, p]: the bias gradient of a convolution (sum over the batch and every
 * position), accumulated in float64 in n-then-p order.
 *
 * @example
 * sumOverBatchAndPositions(dy.data, 0, 64, 16, 784, biasGradient, 0); // biasGradient: [16]
 */
export function sumOverBatchAndPositions(
  dy: FloatData,
  offset: number,
  batch: number,
  channels: number,
  positions: number,
  out: FloatData,
  outOffset: number,
): void {
  const sampleSize = channels * positions;
  for (let f = 0; f < channels; f++) {
    let total = 0;
    for (let n = 0, row = offset + f * positions; n < batch; n++, row += sampleSize) {
      const end = row + positions;
      let index = row;
      // One accumulator, so the additions stay in order (and match `sum` bit for bit).
      for (; index + 4 <= end; index += 4) total = total + dy[index] + dy[index + 1] + dy[index + 2] + dy[index + 3];
      for (; index < end; index++) total += dy[index];
    }
    out[outOffset + f] = total;
  }
}

/**
 * The ReLU backward pass and the bias gradient in one sweep over [N, F, P]:
 * dz[n, f, p] = dy[n, f, p]·[y[n, f, p] > 0] + 0 (the ReLU layer's rule: the + 0 turns −0 into
 * +0), and when `biasGradient` is given, biasGradient[f] = Σₙ Σₚ dz[n, f, p], each a float64
 * running sum (in `sums`, at least F long) in n-then-p order: the bits of the two separate passes.
 * `y` and `dz` start at index 0, `dy` at `dyOffset`.
 *
 * @example
 * reluGradientAndBiasSum(y.data, dy.data, 0, dz.data, 64, 16, 784, sums, biasGradient.data, 0);
 */
export function reluGradientAndBiasSum(
  y: FloatData,
  dy: FloatData,
  dyOffset: number,
  dz: FloatData,
  batch: number,
  channels: number,
  positions: number,
  sums: Float64Array,
  biasGradient: FloatData | undefined,
  biasOffset: number,
): void {
  sums.fill(0, 0, channels);
  for (let n = 0, row = 0; n < batch; n++) {
    for (let f = 0; f < channels; f++, row += positions)
      sums[f] = reluGradientRow(y, dy, dyOffset, dz, row, positions, sums[f]);
  }
  if (biasGradient !== undefined) for (let f = 0; f < channels; f++) biasGradient[biasOffset + f] = sums[f];
}

/** One row of {@link reluGradientAndBiasSum}; returns `total` plus the row's dz, added in order. */
function reluGradientRow(
  y: FloatData,
  dy: FloatData,
  dyOffset: number,
  dz: FloatData,
  row: number,
  positions: number,
  total: number,
): number {
  const end = row + positions;
  let index = row;
  for (; index + 2 <= end; index += 2) {
    const first = dy[dyOffset + index] * +(y[index] > 0) + 0;
    const second = dy[dyOffset + index + 1] * +(y[index + 1] > 0) + 0;
    dz[index] = first;
    dz[index + 1] = second;
    total = total + first + second;
  }
  for (; index < end; index++) {
    const value = dy[dyOffset + index] * +(y[index] > 0) + 0;
    dz[index] = value;
    total += value;
  }
  return total;
}

/**
 * As {@link reluGradientAndBiasSum} for the sigmoid (`tanh` false: dz = y(1 − y)·dy) or tanh
 * (dz = (1 − y²)·dy), the expressions of `differentiateActivation`; each sum adds dz as stored
 * (rounded to float32 when `dz` is), so db has the bits of the separate sum.
 *
 * @example
 * derivativeGradientAndBiasSum(true, y.data, dy.data, 0, dz.data, 64, 16, 784, sums, biasGradient.data, 0);
 */
export function derivativeGradientAndBiasSum(
  tanh: boolean,
  y: FloatData,
  dy: FloatData,
  dyOffset: number,
  dz: FloatData,
  batch: number,
  channels: number,
  positions: number,
  sums: Float64Array,
  biasGradient: FloatData | undefined,
  biasOffset: number,
): void {
  sums.fill(0, 0, channels);
  for (let n = 0, row = 0; n < batch; n++) {
    for (let f = 0; f < channels; f++, row += positions) {
      let total = sums[f];
      for (let index = row; index < row + positions; index++) {
        const value = y[index];
        dz[index] = tanh ? (1 - value * value) * dy[dyOffset + index] : value * (1 - value) * dy[dyOffset + index];
        total += dz[index];
      }
      sums[f] = total;
    }
  }
  if (biasGradient !== undefined) for (let f = 0; f < channels; f++) biasGradient[biasOffset + f] = sums[f];
}

/**
 * accumulator[e] += values[offset + e] for e < size: one sample's term of a float64 running sum
 * (a function of its own, which V8 optimizes better than a long loop nest entered once).
 *
 * @example
 * accumulate(sums, sampleGradient.data, 0, sums.length);
 */
export function accumulate(accumulator: Float64Array, values: FloatData, offset: number, size: number): void {
  let index = 0;
  for (; index + 4 <= size; index += 4) {
    accumulator[index] += values[offset + index];
    accumulator[index + 1] += values[offset + index + 1];
    accumulator[index + 2] += values[offset + index + 2];
    accumulator[index + 3] += values[offset + index + 3];
  }
  for (; index < size; index++) accumulator[index] += values[offset + index];
}

/**
 * out[outOffset + e] = accumulator[e] for e < size (rounded to float32 when `out` is).
 *
 * @example
 * storeSums(sums, weightGradient.data, 0, sums.length);
 */
export function storeSums(accumulator: Float64Array, out: FloatData, outOffset: number, size: number): void {
  for (let index = 0; index < size; index++) out[outOffset + index] = accumulator[index];
}
