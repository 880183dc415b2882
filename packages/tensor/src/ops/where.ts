import type { FloatDType } from '../dtype.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { ElementwiseOptions } from './binary-engine.js';
import { promoteDTypes } from './dtype-rules.js';
import { toTensor, toTensorPair, type TensorOrNumber } from './operands.js';
import { RowIterator } from './row-iterator.js';
import { prepareOut } from './validate.js';

/**
 * Picks from `a` where `condition` is non-zero and from `b` elsewhere, with NumPy broadcasting
 * over all three. The result dtype is `a` and `b` promoted (float64 > float32 > int32);
 * `condition` may be any dtype (comparisons give int32 masks).
 *
 * out[i] = condition[i] ≠ 0 ? a[i] : b[i]
 *
 * @example
 * const x = tensor([-2, 0, 3]);
 * where(greater(x, 0), x, 0); // [0, 0, 3]: ReLU
 */
export function where<D extends FloatDType>(
  condition: TensorOrNumber,
  a: Tensor<D> | number,
  b: Tensor<D> | number,
  options?: ElementwiseOptions,
): Tensor<D>;
export function where(
  condition: TensorOrNumber,
  a: TensorOrNumber,
  b: TensorOrNumber,
  options?: ElementwiseOptions,
): Tensor;
export function where(
  condition: TensorOrNumber,
  a: TensorOrNumber,
  b: TensorOrNumber,
  options: ElementwiseOptions = {},
): Tensor {
  const operation = 'where';
  const mask = toTensor(condition, 'int32', operation, 'condition');
  const [x, y] = toTensorPair(a, b, operation);
  const shape = broadcastShapes(broadcastShapes(mask.shape, x.shape, operation), y.shape, operation);
  const out = prepareOut(options.out, shape, promoteDTypes(x.dtype, y.dtype), operation);
  if (out.size === 0) return out;
  const views = [mask, x, y].map((operand) =>
    shapesEqual(operand.shape, shape) ? operand : operand.broadcastTo(shape),
  );
  const [maskData, xData, yData, outData] = [views[0].data, views[1].data, views[2].data, out.data];
  const rows = new RowIterator(
    shape,
    [...views.map((view) => view.strides), out.strides],
    [...views.map((view) => view.offset), out.offset],
  );
  const [maskStride, xStride, yStride, outStride] = rows.innerStride;
  for (let row = 0; row < rows.rowCount; row++, rows.next()) {
    let m = rows.position[0],
      i = rows.position[1],
      k = rows.position[2],
      o = rows.position[3];
    for (let j = 0; j < rows.rowLength; j++, m += maskStride, i += xStride, k += yStride, o += outStride) {
      outData[o] = maskData[m] !== 0 ? xData[i] : yData[k];
    }
  }
  return out;
}
