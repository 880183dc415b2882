import type { Tensor } from '../tensor.js';
import { RowIterator } from './row-iterator.js';

/**
 * Copies `source` into `target` element by element (same shape, or `source` broadcastable to
 * it; dtypes may differ, with the typed array's conversion on store). Either may be strided.
 * Internal: shape checks are the caller's.
 *
 * @example
 * copyInto(out.slice(null, [0, 2]), source); // fill the first two columns of out
 */
export function copyInto(target: Tensor, source: Tensor): void {
  const view =
    source.shape.length === target.shape.length &&
    source.shape.every((dimension, axis) => dimension === target.shape[axis])
      ? source
      : source.broadcastTo(target.shape);
  const rows = new RowIterator(target.shape, [view.strides, target.strides], [view.offset, target.offset]);
  const from = view.data;
  const to = target.data;
  const length = rows.rowLength;
  const sourceStride = rows.innerStride[0];
  const targetStride = rows.innerStride[1];
  for (let row = 0; row < rows.rowCount; row++, rows.next()) {
    let sourceIndex = rows.position[0];
    let targetIndex = rows.position[1];
    for (let j = 0; j < length; j++, sourceIndex += sourceStride, targetIndex += targetStride)
      to[targetIndex] = from[sourceIndex];
  }
}
