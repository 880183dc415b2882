import type { TypedArray } from '../dtype.js';
import type { RowIterator } from './row-iterator.js';

/*
 * One function per reduction, each a plain loop over one block's rows (see reduce-plan.ts).
 * Every reducer gets the block walker already at the block's start, the block's start in
 * `data` (`base`, for two-pass reducers that walk it again) and its element count. Sums and
 * products accumulate in a float64 local, in row-major order over the reduced axes.
 */

/**
 * Σ x.
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockSum);
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
 * Σ x / n (NaN for no elements).
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockMean);
 */
export function blockMean(data: TypedArray, block: RowIterator, _base: number, count: number): number {
  return blockSum(data, block) / count;
}

/**
 * Π x.
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockProduct);
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
 * The first element of the block that is largest after multiplying by `direction` (1: the
 * maximum, −1: the minimum), or the first NaN; `[value, position in the block]` is written to
 * `found`, so one loop serves max, min, argmax and argmin.
 */
function blockExtreme(data: TypedArray, block: RowIterator, direction: number, found: Float64Array): void {
  let best = -Infinity;
  let bestValue = direction * -Infinity;
  let bestIndex = 0;
  let flat = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride, flat++) {
      const value = data[i];
      const signed = direction * value;
      if (signed > best || (value !== value && best === best)) {
        best = signed;
        bestValue = value;
        bestIndex = flat;
      }
    }
  }
  found[0] = bestValue;
  found[1] = bestIndex;
}

const found = new Float64Array(2);

/**
 * max x; NaN if any element is NaN.
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockMax);
 */
export function blockMax(data: TypedArray, block: RowIterator): number {
  blockExtreme(data, block, 1, found);
  return found[0];
}

/**
 * min x; NaN if any element is NaN.
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockMin);
 */
export function blockMin(data: TypedArray, block: RowIterator): number {
  blockExtreme(data, block, -1, found);
  return found[0];
}

/**
 * Position of the first maximum in the block (the first NaN, if any, as NumPy does).
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, indices, blockArgmax);
 */
export function blockArgmax(data: TypedArray, block: RowIterator): number {
  blockExtreme(data, block, 1, found);
  return found[1];
}

/**
 * Position of the first minimum in the block (the first NaN, if any, as NumPy does).
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, indices, blockArgmin);
 */
export function blockArgmin(data: TypedArray, block: RowIterator): number {
  blockExtreme(data, block, -1, found);
  return found[1];
}

/**
 * Σ (x − mean)² / n, with `mean` computed in a first pass: the two-pass population variance.
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockVariance);
 */
export function blockVariance(data: TypedArray, block: RowIterator, base: number, count: number): number {
  const mean = blockSum(data, block) / count;
  block.restart(base);
  let sum = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) {
      const deviation = data[i] - mean;
      sum += deviation * deviation;
    }
  }
  return sum / count;
}

/**
 * √variance (see {@link blockVariance}).
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockStandardDeviation);
 */
export function blockStandardDeviation(data: TypedArray, block: RowIterator, base: number, count: number): number {
  return Math.sqrt(blockVariance(data, block, base, count));
}

/**
 * log Σ exp(x), stably: m + log Σ exp(x − m) with m = max x, so no exp overflows. An all
 * −Infinity (or empty) block gives −Infinity; a +Infinity element gives +Infinity.
 *
 * @example
 * reduceBlocks(x, blockSize, walkers, out, blockLogSumExp);
 */
export function blockLogSumExp(data: TypedArray, block: RowIterator, base: number): number {
  const max = blockMax(data, block);
  if (max === -Infinity || max === Infinity || max !== max) return max;
  block.restart(base);
  let sum = 0;
  const stride = block.innerStride[0];
  for (let row = 0; row < block.rowCount; row++, block.next()) {
    for (let j = 0, i = block.position[0]; j < block.rowLength; j++, i += stride) sum += Math.exp(data[i] - max);
  }
  return max + Math.log(sum);
}
