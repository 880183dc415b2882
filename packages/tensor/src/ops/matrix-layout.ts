import type { Tensor } from '../tensor.js';

/**
 * How a kernel can read the last two axes of a tensor in place: as row-major rows `leading`
 * elements apart, with `transposed` telling whether the stored matrix is the tensor's
 * transpose (a column-major view such as `x.transpose()`).
 */
export interface MatrixLayout {
  leading: number;
  transposed: boolean;
}

/**
 * The in-place layout of `x`'s trailing [rows, columns] matrix, or `null` when it needs a
 * copy first (negative or zero strides, or rows that overlap). Backends may copy
 * `(rows - 1) * leading + columns` elements from the start, so `leading ≥ columns` is required.
 *
 * @example
 * matrixLayout(zeros([3, 4]));             // { leading: 4, transposed: false }
 * matrixLayout(zeros([3, 4]).transpose()); // { leading: 4, transposed: true }
 */
export function matrixLayout(x: Tensor): MatrixLayout | null {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2];
  const columns = x.shape[rank - 1];
  const rowStride = x.strides[rank - 2];
  const columnStride = x.strides[rank - 1];
  if (rows === 0 || columns === 0) return { leading: Math.max(columns, 1), transposed: false };
  if ((columnStride === 1 || columns === 1) && (rows === 1 || rowStride >= Math.max(columns, 1))) {
    return { leading: rows === 1 ? Math.max(columns, 1) : rowStride, transposed: false };
  }
  if ((rowStride === 1 || rows === 1) && (columns === 1 || columnStride >= Math.max(rows, 1))) {
    return { leading: columns === 1 ? Math.max(rows, 1) : columnStride, transposed: true };
  }
  return null;
}

/**
 * True when the batch axes (all but the last two) of `x` step exactly over whole matrices of
 * `rows` rows `leading` apart, so `[...batch, rows, columns]` can be read as one
 * `[batch·rows, columns]` matrix with the same leading dimension.
 *
 * @example
 * batchFoldsIntoRows(zeros([2, 3, 4]), 4); // true: read it as [6, 4]
 */
export function batchFoldsIntoRows(x: Tensor, leading: number): boolean {
  const rank = x.shape.length;
  let expected = x.shape[rank - 2] * leading;
  for (let axis = rank - 3; axis >= 0; axis--) {
    if (x.shape[axis] !== 1 && x.strides[axis] !== expected) return false;
    expected *= x.shape[axis];
  }
  return true;
}
