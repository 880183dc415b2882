import type { TypedArray } from '../dtype.js';
import type { RowIterator } from './row-iterator.js';

/*
 * One function per reduction, each a plain loop over one block's rows (see reduce-plan.ts).
 * Sums and products accumulate in a float64 local, in row-major order over the reduced axes.
 */

/**
 * Σ x.
 *
 * @example
 * reduceBlocks(x, plan, out, blockSum);
 */
export function blockSum(data: TypedArray, block: RowIterator): number {
  let sum = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) sum += data[i];
  }
  return sum;
}

/**
 * Π x.
 *
 * @example
 * reduceBlocks(x, plan, out, blockProduct);
 */
export function blockProduct(data: TypedArray, block: RowIterator): number {
  let product = 1;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) product *= data[i];
  }
  return product;
}

/**
 * max x; NaN if any element is NaN.
 *
 * @example
 * reduceBlocks(x, plan, out, blockMax);
 */
export function blockMax(data: TypedArray, block: RowIterator): number {
  let best = -Infinity;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) {
      const value = data[i];
      if (value > best || value !== value) best = value;
    }
  }
  return best;
}

/**
 * min x; NaN if any element is NaN.
 *
 * @example
 * reduceBlocks(x, plan, out, blockMin);
 */
export function blockMin(data: TypedArray, block: RowIterator): number {
  let best = Infinity;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) {
      const value = data[i];
      if (value < best || value !== value) best = value;
    }
  }
  return best;
}

/**
 * Position of the first maximum in the block (the first NaN, if any, as NumPy does).
 *
 * @example
 * reduceBlocks(x, plan, indices, blockArgmax);
 */
export function blockArgmax(data: TypedArray, block: RowIterator): number {
  let best = -Infinity;
  let bestIndex = 0;
  let flat = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride, flat++) {
      const value = data[i];
      if (value > best || (value !== value && best === best)) {
        best = value;
        bestIndex = flat;
      }
    }
  }
  return bestIndex;
}

/**
 * Position of the first minimum in the block (the first NaN, if any, as NumPy does).
 *
 * @example
 * reduceBlocks(x, plan, indices, blockArgmin);
 */
export function blockArgmin(data: TypedArray, block: RowIterator): number {
  let best = Infinity;
  let bestIndex = 0;
  let flat = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride, flat++) {
      const value = data[i];
      if (value < best || (value !== value && best === best)) {
        best = value;
        bestIndex = flat;
      }
    }
  }
  return bestIndex;
}

/**
 * Σ (x − mean)², with `mean` computed in a first pass: the two-pass variance numerator.
 *
 * @example
 * reduceBlocks(x, plan, out, (data, block, base) => blockSquaredDeviations(data, block, base, n) / n);
 */
export function blockSquaredDeviations(data: TypedArray, block: RowIterator, base: number, count: number): number {
  const mean = blockSum(data, block) / count;
  block.reset([base]);
  let sum = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) {
      const deviation = data[i] - mean;
      sum += deviation * deviation;
    }
  }
  return sum;
}

/**
 * log Σ exp(x), stably: m + log Σ exp(x − m) with m = max x, so no exp overflows. An all
 * −Infinity (or empty) block gives −Infinity; a +Infinity element gives +Infinity.
 *
 * @example
 * reduceBlocks(x, plan, out, blockLogSumExp);
 */
export function blockLogSumExp(data: TypedArray, block: RowIterator, base: number): number {
  const max = blockMax(data, block);
  if (max === -Infinity || max === Infinity || max !== max) return max;
  block.reset([base]);
  let sum = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) sum += Math.exp(data[i] - max);
  }
  return max + Math.log(sum);
}
