import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import type { ElementwiseOptions } from './binary-engine.js';
import { RowIterator } from './row-iterator.js';
import { unaryContiguous, unaryStrided, type UnaryCode } from './unary-kernels.js';
import { assertTensor, prepareOut } from './validate.js';

/**
 * Applies a unary op to every element of `x` (any layout) into a fresh tensor or `out`
 * (which may be `x` itself, for in place). Contiguous input and output take one plain loop.
 *
 * @example
 * elementwiseUnary('relu', UnaryCode.relu, x, x.dtype, { out: x });
 */
export function elementwiseUnary(operation: string, code: UnaryCode, x: Tensor, dtype: DType, options: ElementwiseOptions, low = 0, high = 0): Tensor {
  assertTensor(x, operation, 'x');
  const out = prepareOut(options.out, x.shape, dtype, operation);
  if (out.size === 0) return out;
  if (x.isContiguous && out.isContiguous) {
    unaryContiguous(code, x.data, x.offset, out.data, out.offset, out.size, low, high);
    return out;
  }
  const rows = new RowIterator(x.shape, [x.strides, out.strides], [x.offset, out.offset]);
  const [xStride, outStride] = rows.innerStride;
  for (let row = 0; row < rows.rowCount; row++, rows.next()) {
    unaryStrided(code, x.data, rows.position[0], xStride, out.data, rows.position[1], outStride, rows.rowLength, low, high);
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
