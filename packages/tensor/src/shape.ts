import { describeValue } from './describe-value.js';
import { AnnetError, formatShape } from './errors.js';

/**
 * Checks every dimension is a non-negative safe integer, and so is their product, and returns a copy.
 *
 * @example
 * checkShape([2, 3], 'zeros');   // [2, 3]
 * checkShape([2, -1], 'zeros');  // throws INVALID_ARGUMENT
 * checkShape([2 ** 30, 2 ** 30, 2 ** 30], 'zeros'); // throws: more elements than any array can hold
 */
export function checkShape(shape: readonly number[], operation: string): number[] {
  if (!Array.isArray(shape)) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `shape must be an array of integers, got ${String(shape)}`);
  }
  for (const dimension of shape) {
    if (!Number.isSafeInteger(dimension) || dimension < 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `shape ${formatShape(shape)} has an invalid dimension ${dimension}; dimensions must be non-negative integers`,
      );
    }
  }
  const size = sizeOf(shape);
  if (!Number.isSafeInteger(size)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `shape ${formatShape(shape)} has ${size} elements, more than any array can hold; use a smaller shape`,
    );
  }
  return shape.slice();
}

/**
 * Number of elements of a shape: the product of its dimensions (1 for a scalar).
 *
 * @example
 * sizeOf([2, 3, 4]); // 24
 * sizeOf([]);        // 1
 */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dimension of shape) size *= dimension;
  return size;
}

/**
 * Row-major (C order) strides: `strides[k] = shape[k+1] * … * shape[n-1]`.
 *
 * @example
 * contiguousStrides([2, 3, 4]); // [12, 4, 1]
 */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/**
 * Normalizes a possibly negative axis into `[0, rank)`.
 *
 * @example
 * normalizeAxis(-1, 3, 'sum'); // 2
 * normalizeAxis(3, 2, 'sum');  // throws 'sum: axis 3 is out of range for a tensor of rank 2'
 * normalizeAxis({} as number, 2, 'sum'); // throws 'sum: axis must be an integer in [-2, 2), got an object'
 */
export function normalizeAxis(axis: number, rank: number, operation: string): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new AnnetError(
      'INVALID_AXIS',
      operation,
      `axis must be an integer in [${-rank}, ${rank}), got ${describeValue(axis)}`,
    );
  }
  if (axis < -rank || axis >= rank) {
    throw new AnnetError('INVALID_AXIS', operation, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * The shapes' NumPy broadcast, or an error naming both shapes.
 *
 * @example
 * broadcastShapes([2, 1, 3], [4, 1], 'add'); // [2, 4, 3]
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], operation: string): number[] {
  const rank = Math.max(a.length, b.length);
  const result = new Array<number>(rank);
  for (let index = 0; index < rank; index++) {
    const da = a[a.length - rank + index] ?? 1;
    const db = b[b.length - rank + index] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`,
      );
    }
    result[index] = da === 1 ? db : da;
  }
  return result;
}

/**
 * True when two shapes are equal dimension by dimension.
 *
 * @example
 * shapesEqual([2, 3], [2, 3]); // true
 */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
