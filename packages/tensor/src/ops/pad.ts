import { AnnetError, formatShape } from '../errors.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { newTensor } from './new-tensor.js';
import { assertTensor } from './validate.js';

/**
 * Pads every axis with `constantValue`: `paddings[k] = [before, after]` elements on axis k
 * (TensorFlow.js's `pad`). Always copies.
 *
 * @example
 * pad(tensor([[1, 2]]), [[1, 0], [0, 2]]); // [[0, 0, 0, 0], [1, 2, 0, 0]]
 */
export function pad<D extends DType>(
  x: Tensor<D>,
  paddings: ReadonlyArray<readonly [number, number]>,
  constantValue = 0,
): Tensor<D> {
  const operation = 'pad';
  assertTensor(x, operation, 'x');
  const valid =
    Array.isArray(paddings) &&
    paddings.length === x.rank &&
    paddings.every(
      (pair) =>
        Array.isArray(pair) && pair.length === 2 && pair.every((amount) => Number.isSafeInteger(amount) && amount >= 0),
    );
  if (!valid) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `paddings must be ${x.rank} pairs [before, after] of non-negative integers for shape ${formatShape(x.shape)}, got ${JSON.stringify(paddings)}`,
    );
  }
  const shape = x.shape.map((dimension, axis) => paddings[axis][0] + dimension + paddings[axis][1]);
  const out = newTensor(x.dtype, shape);
  if (constantValue !== 0) out.data.fill(constantValue);
  if (x.size > 0)
    copyInto(
      out.slice(...x.shape.map((dimension, axis) => [paddings[axis][0], paddings[axis][0] + dimension] as const)),
      x,
    );
  return out;
}
