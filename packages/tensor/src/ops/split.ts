import { AnnetError, formatShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './validate.js';

/**
 * Splits `x` along `axis` into `count` equal parts, or into parts of the given sizes (one size
 * may be −1: the rest). Returns views that share `x`'s data (no copy), like `slice`.
 *
 * @example
 * const [a, b] = split(tensor([1, 2, 3, 4]), 2);       // [1, 2] and [3, 4]
 * split(zeros([2, 10]), [3, -1], 1).map((t) => t.shape); // [[2, 3], [2, 7]]
 */
export function split<T extends Tensor>(x: T, countOrSizes: number | readonly number[], axis = 0): T[] {
  const operation = 'split';
  assertTensor(x, operation, 'x');
  const along = normalizeAxis(axis, x.rank, operation);
  const dimension = x.shape[along];
  const sizes = splitSizes(countOrSizes, dimension, along, x.shape, operation);
  const parts: T[] = [];
  let start = 0;
  for (const size of sizes) {
    parts.push(x.slice(...x.shape.map((_, k) => (k === along ? ([start, start + size] as const) : null))) as T);
    start += size;
  }
  return parts;
}

function splitSizes(
  countOrSizes: number | readonly number[],
  dimension: number,
  axis: number,
  shape: readonly number[],
  operation: string,
): number[] {
  if (typeof countOrSizes === 'number') {
    if (!Number.isInteger(countOrSizes) || countOrSizes <= 0 || dimension % countOrSizes !== 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `cannot split axis ${axis} of size ${dimension} (shape ${formatShape(shape)}) into ${countOrSizes} equal parts`,
      );
    }
    return new Array<number>(countOrSizes).fill(dimension / countOrSizes);
  }
  const sizes = Array.from(countOrSizes);
  const inferred = sizes.indexOf(-1);
  const valid =
    sizes.every((size) => Number.isInteger(size) && (size >= 0 || size === -1)) && sizes.lastIndexOf(-1) === inferred;
  const known = sizes.reduce((total, size) => (size === -1 ? total : total + size), 0);
  if (!valid || (inferred === -1 ? known !== dimension : known > dimension)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `sizes ${formatShape(sizes)} do not add up to ${dimension}, the size of axis ${axis} of shape ${formatShape(shape)} (one size may be -1)`,
    );
  }
  if (inferred !== -1) sizes[inferred] = dimension - known;
  return sizes;
}
