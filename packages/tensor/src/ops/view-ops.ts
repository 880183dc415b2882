import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './validate.js';

/*
 * The Tensor view methods as standalone functions, with TensorFlow.js's signatures. Each is
 * O(rank) and shares the data (reshape copies only a non-contiguous tensor).
 */

/**
 * Permutes the axes (reverses them by default): a view.
 *
 * @example
 * transpose(zeros([2, 3, 4]), [0, 2, 1]).shape; // [2, 4, 3]
 */
export function transpose<D extends DType>(x: Tensor<D>, permutation?: readonly number[]): Tensor<D> {
  assertTensor(x, 'transpose', 'x');
  return x.transpose(permutation);
}

/**
 * The same elements with another shape (one dimension may be −1): a view when contiguous.
 *
 * @example
 * reshape(arange(6), [2, -1]).shape; // [2, 3]
 */
export function reshape<D extends DType>(x: Tensor<D>, shape: readonly number[]): Tensor<D> {
  assertTensor(x, 'reshape', 'x');
  return x.reshape(shape);
}

/**
 * Removes size-1 axes (all, or the given ones): a view.
 *
 * @example
 * squeeze(zeros([1, 3, 1])).shape; // [3]
 */
export function squeeze<D extends DType>(x: Tensor<D>, axes?: number | readonly number[]): Tensor<D> {
  assertTensor(x, 'squeeze', 'x');
  return x.squeeze(axes);
}

/**
 * Inserts a size-1 axis at `axis` (which may be `rank`, or negative): a view.
 *
 * @example
 * expandDims(zeros([3]), 0).shape; // [1, 3]
 */
export function expandDims<D extends DType>(x: Tensor<D>, axis = 0): Tensor<D> {
  assertTensor(x, 'expandDims', 'x');
  return x.expandDims(axis);
}

/**
 * Repeats size-1 axes to reach `shape` without copying (stride 0): a read-only-by-convention view.
 *
 * @example
 * broadcastTo(tensor([1, 2]), [3, 2]).toArray(); // [[1, 2], [1, 2], [1, 2]]
 */
export function broadcastTo<D extends DType>(x: Tensor<D>, shape: readonly number[]): Tensor<D> {
  assertTensor(x, 'broadcastTo', 'x');
  return x.broadcastTo(shape);
}
