import type { DType } from '../dtype.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { binaryContiguous, binaryStrided, type BinaryCode } from './binary-kernels.js';
import { RowIterator } from './row-iterator.js';
import { prepareOut } from './validate.js';

/** Options of the elementwise ops. */
export interface ElementwiseOptions {
  /**
   * Write the result here instead of allocating (shape = the broadcast shape, dtype = the
   * result dtype). May be one of the inputs for an in-place update (`add(w, g, { out: w })`).
   */
  out?: Tensor;
}

/**
 * Runs a binary op with NumPy broadcasting: shapes align from the right and size-1 (or
 * missing) axes repeat. Contiguous same-shape operands take a single plain loop; everything
 * else walks rows with per-operand strides (stride 0 on broadcast axes).
 *
 * @example
 * elementwiseBinary('add', BinaryCode.add, a, b, 'float32', {});
 */
export function elementwiseBinary(operation: string, code: BinaryCode, a: Tensor, b: Tensor, dtype: DType, options: ElementwiseOptions): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, operation);
  const out = prepareOut(options.out, shape, dtype, operation);
  if (out.size === 0) return out;
  if (shapesEqual(a.shape, shape) && shapesEqual(b.shape, shape) && a.isContiguous && b.isContiguous && out.isContiguous) {
    binaryContiguous(code, a.data, a.offset, b.data, b.offset, out.data, out.offset, out.size);
    return out;
  }
  const left = a.broadcastTo(shape);
  const right = b.broadcastTo(shape);
  const rows = new RowIterator(shape, [left.strides, right.strides, out.strides], [left.offset, right.offset, out.offset]);
  const [leftStride, rightStride, outStride] = rows.innerStride;
  for (let row = 0; row < rows.rowCount; row++, rows.next()) {
    binaryStrided(code, left.data, rows.position[0], leftStride, right.data, rows.position[1], rightStride, out.data, rows.position[2], outStride, rows.rowLength);
  }
  return out;
}
