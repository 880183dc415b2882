import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import type { ElementwiseOptions } from './binary-engine.js';
import { PlanCache } from './plan-cache.js';
import { RowIterator } from './row-iterator.js';
import { unaryContiguous, unaryStrided, type UnaryCode } from './unary-kernels.js';
import { assertTensor, prepareOut } from './validate.js';

/** Row walkers of strided layouts (x and out strides), cached so strided calls allocate nothing. */
const plans = new PlanCache<RowIterator>();

/**
 * Applies a unary op to every element of `x` (any layout) into a fresh tensor or `out`
 * (which may be `x` itself, for in place). Contiguous input and output take one plain loop.
 *
 * @example
 * elementwiseUnary('relu', UnaryCode.relu, x, x.dtype, { out: x });
 */
export function elementwiseUnary(
  operation: string,
  code: UnaryCode,
  x: Tensor,
  dtype: DType,
  options: ElementwiseOptions,
  low = 0,
  high = 0,
): Tensor {
  assertTensor(x, operation, 'x');
  const out = prepareOut(options.out, x.shape, dtype, operation);
  if (out.size === 0) return out;
  if (x.isContiguous && out.isContiguous) {
    unaryContiguous(code, x.data, x.offset, out.data, out.offset, out.size, low, high);
    return out;
  }
  plans.begin();
  plans.addList(x.shape);
  plans.addList(x.strides);
  plans.addList(out.strides);
  const rows = plans.find() ?? plans.store(new RowIterator(x.shape, [x.strides, out.strides], [0, 0]));
  rows.restart(x.offset, out.offset);
  const xStride = rows.innerStride[0];
  const outStride = rows.innerStride[1];
  for (let row = 0; row < rows.rowCount; row++, rows.next()) {
    unaryStrided(
      code,
      x.data,
      rows.position[0],
      xStride,
      out.data,
      rows.position[1],
      outStride,
      rows.rowLength,
      low,
      high,
    );
  }
  return out;
}

/**
 * Result dtype of a transcendental op (exp, log, ...): the input's float dtype, float32 for int32.
 *
 * @example
 * floatResult('int32'); // 'float32'
 */
export function floatResult(dtype: DType): DType {
  return dtype === 'int32' ? 'float32' : dtype;
}
