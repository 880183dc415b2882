import { AnnetError, formatShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { promoteDTypes } from './dtype-rules.js';
import { newTensor } from './new-tensor.js';

function assertTensorList(tensors: readonly Tensor[], operation: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a non-empty array of tensors, got ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}`,
    );
  }
  tensors.forEach((item, position) => {
    if (!(item instanceof Tensor))
      throw new AnnetError('INVALID_ARGUMENT', operation, `item ${position} is not a Tensor`);
  });
}

/**
 * Joins tensors along an existing axis. All must have the same rank and the same size on every
 * other axis; the result dtype is their promotion (float64 > float32 > int32). Always copies.
 *
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])], 0); // [[1, 2], [3, 4], [5, 6]]
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], 1);     // [[1, 3], [2, 4]]
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const operation = 'concat';
  assertTensorList(tensors, operation);
  const first = tensors[0];
  if (first.rank === 0)
    throw new AnnetError('INVALID_ARGUMENT', operation, 'cannot concatenate scalars (rank 0); use stack');
  const along = normalizeAxis(axis, first.rank, operation);
  let total = 0;
  for (const [position, item] of tensors.entries()) {
    const matches =
      item.rank === first.rank && item.shape.every((dimension, k) => k === along || dimension === first.shape[k]);
    if (!matches) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `tensor ${position} has shape ${formatShape(item.shape)}, which does not match ${formatShape(first.shape)} outside axis ${along}`,
      );
    }
    total += item.shape[along];
  }
  const shape = first.shape.slice();
  shape[along] = total;
  const out = newTensor(tensors.map((item) => item.dtype).reduce(promoteDTypes), shape);
  let start = 0;
  for (const item of tensors) {
    const size = item.shape[along];
    if (size > 0 && item.size > 0)
      copyInto(out.slice(...shape.map((_, k) => (k === along ? ([start, start + size] as const) : null))), item);
    start += size;
  }
  return out;
}

/**
 * Stacks same-shaped tensors along a new axis (`axis` may be `rank`, or negative).
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])]);    // [[1, 2], [3, 4]]
 * stack([tensor([1, 2]), tensor([3, 4])], 1); // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const operation = 'stack';
  assertTensorList(tensors, operation);
  const first = tensors[0];
  tensors.forEach((item, position) => {
    if (item.rank !== first.rank || !item.shape.every((dimension, k) => dimension === first.shape[k])) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `tensor ${position} has shape ${formatShape(item.shape)}; every tensor must have shape ${formatShape(first.shape)}`,
      );
    }
  });
  const along = normalizeAxis(axis, first.rank + 1, operation);
  return concat(
    tensors.map((item) => item.expandDims(along)),
    along,
  );
}
