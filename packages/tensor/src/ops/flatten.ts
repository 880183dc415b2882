import { AnnetError } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './validate.js';

/**
 * Merges axes `startAxis … endAxis` (inclusive; default all) into one, like PyTorch's
 * `flatten`. A view when `x` is contiguous, else a copy (as `reshape`). A scalar becomes [1].
 *
 * @example
 * flatten(zeros([2, 3, 4])).shape;    // [24]
 * flatten(zeros([2, 3, 4]), 1).shape; // [2, 12]: keep the batch axis
 */
export function flatten<T extends Tensor>(x: T, startAxis = 0, endAxis = -1): T {
  const operation = 'flatten';
  assertTensor(x, operation, 'x');
  if (x.rank === 0) return x.reshape([1]) as T;
  const start = normalizeAxis(startAxis, x.rank, operation);
  const end = normalizeAxis(endAxis, x.rank, operation);
  if (start > end) {
    throw new AnnetError(
      'INVALID_AXIS',
      operation,
      `startAxis ${startAxis} comes after endAxis ${endAxis} for a tensor of rank ${x.rank}`,
    );
  }
  const merged = x.shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return x.reshape([...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]) as T;
}
