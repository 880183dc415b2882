import { AnnetError, formatShape, Tensor } from '@annet/tensor';

/**
 * Per-class numbers a loss takes (a class `weight`, binary cross-entropy's `positiveWeight`):
 * one per class, as a plain array, a typed array or a rank-1 tensor.
 *
 * @example
 * const weight: ClassWeights = [1, 5, 1]; // class 1 counts five times
 */
export type ClassWeights = Tensor | ArrayLike<number>;

/**
 * `weights` checked and copied into a Float64Array of `classes` entries, or `undefined` when
 * not given. Each entry must be finite and at least 0. A number (binary cross-entropy only) is
 * the same value for every class.
 *
 * @example
 * const weight = readClassWeights('softmaxCrossEntropy', 'weight', options.weight, 3); // Float64Array(3) | undefined
 */
export function readClassWeights(
  operation: string,
  name: string,
  weights: ClassWeights | number | undefined,
  classes: number,
): Float64Array | undefined {
  if (weights === undefined) return undefined;
  if (typeof weights === 'number') return checkedEntries(operation, name, new Float64Array(classes).fill(weights));
  if (weights instanceof Tensor) {
    if (weights.rank !== 1 || weights.size !== classes) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `expected ${name} of shape [${classes}] (one per class on the last axis), got a tensor of shape ${formatShape(weights.shape)}`,
      );
    }
    return checkedEntries(operation, name, Float64Array.from(weights.contiguous(true).data));
  }
  if (typeof weights !== 'object' || weights === null || typeof weights.length !== 'number') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected ${name} to be an array, a typed array or a tensor of ${classes} numbers, got ${typeof weights}`,
    );
  }
  if (weights.length !== classes) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected ${name} to hold ${classes} numbers (one per class on the last axis), got ${weights.length}`,
    );
  }
  return checkedEntries(operation, name, Float64Array.from(weights));
}

function checkedEntries(operation: string, name: string, entries: Float64Array): Float64Array {
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (!Number.isFinite(entry) || entry < 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `${name}[${index}] must be a finite number ≥ 0, got ${entry}`,
      );
    }
  }
  return entries;
}
