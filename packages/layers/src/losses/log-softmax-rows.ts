import type { FloatData } from '../buffers.js';

/**
 * log p = z − (m + log Σⱼ e^(zⱼ − m)) for each of `rows` contiguous rows of `classes` logits,
 * with m the row's maximum (the first NaN, if any) and the sum in float64: the operations of
 * the `logSoftmax` op of @annet/tensor in the same order, so the same bits, without the op's
 * general strided walk (which costs more than the arithmetic on rows of ten classes). `out` may
 * be `logits` itself.
 *
 * @example
 * logSoftmaxRows(z.data, 0, logProbabilities.data, 0, 64, 10); // z: [64, 10]
 */
export function logSoftmaxRows(
  logits: FloatData,
  logitsOffset: number,
  out: FloatData,
  outOffset: number,
  rows: number,
  classes: number,
): void {
  for (let row = 0; row < rows; row++) {
    const start = logitsOffset + row * classes;
    const end = start + classes;
    const logTotal = logSumExpRow(logits, start, end);
    for (let index = start, target = outOffset + row * classes; index < end; index++, target++)
      out[target] = logits[index] - logTotal;
  }
}

/** m + log Σⱼ e^(zⱼ − m) over logits[start, end), m the maximum (the first NaN, if any, wins). */
function logSumExpRow(logits: FloatData, start: number, end: number): number {
  let shift = -Infinity;
  for (let index = start; index < end; index++) {
    const value = logits[index];
    if (value > shift || value !== value) shift = value;
  }
  let sum = 0;
  for (let index = start; index < end; index++) sum += Math.exp(logits[index] - shift);
  return shift + Math.log(sum);
}
