import type { DType } from '../dtype.js';
import { broadcastShapes, contiguousStrides, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastStrides } from './broadcast-strides.js';
import { binaryContiguous, binaryRow, type BinaryCode } from './binary-kernels.js';
import { PlanCache } from './plan-cache.js';
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

/** What a binary op needs beyond its operands: the broadcast shape and a row walker over a, b and out. */
interface BinaryPlan {
  readonly shape: readonly number[];
  readonly sameShapes: boolean;
  /** Undefined when `out` has the wrong shape (prepareOut then throws). */
  readonly rows: RowIterator | undefined;
}

const plans = new PlanCache<BinaryPlan>();

/** The cached plan for these operand layouts (computed, and cached, on the first call). */
function planFor(operation: string, a: Tensor, b: Tensor, out: Tensor | undefined): BinaryPlan {
  plans.begin();
  plans.addList(a.shape);
  plans.addList(a.strides);
  plans.addList(b.shape);
  plans.addList(b.strides);
  if (out === undefined) plans.add(-1);
  else plans.addList(out.strides);
  const cached = plans.find();
  if (cached !== undefined) return cached;
  const shape = broadcastShapes(a.shape, b.shape, operation);
  const sameShapes = shapesEqual(a.shape, shape) && shapesEqual(b.shape, shape);
  if (out !== undefined && !shapesEqual(out.shape, shape)) return { shape, sameShapes, rows: undefined };
  const outStrides = out === undefined ? contiguousStrides(shape) : out.strides;
  const strides = [
    broadcastStrides(a.shape, a.strides, shape),
    broadcastStrides(b.shape, b.strides, shape),
    outStrides,
  ];
  return plans.store({ shape, sameShapes, rows: new RowIterator(shape, strides, [0, 0, 0]) });
}

/**
 * Runs a binary op with NumPy broadcasting: shapes align from the right and size-1 (or
 * missing) axes repeat. Contiguous same-shape operands take a single plain loop; everything
 * else walks rows with per-operand strides (stride 0 on broadcast axes), rows that repeat one
 * value (a bias per channel) with a loop that reads it once. The broadcast shape and row walker
 * are cached per operand layout, so a call with `out` allocates nothing.
 *
 * @example
 * elementwiseBinary('add', BinaryCode.add, a, b, 'float32', {});
 */
export function elementwiseBinary(
  operation: string,
  code: BinaryCode,
  a: Tensor,
  b: Tensor,
  dtype: DType,
  options: ElementwiseOptions,
): Tensor {
  const plan = planFor(operation, a, b, options.out);
  const out = prepareOut(options.out, plan.shape, dtype, operation);
  if (out.size === 0) return out;
  if (plan.sameShapes && a.isContiguous && b.isContiguous && out.isContiguous) {
    binaryContiguous(code, a.data, a.offset, b.data, b.offset, out.data, out.offset, out.size);
    return out;
  }
  const rows = plan.rows as RowIterator;
  rows.restart(a.offset, b.offset, out.offset);
  const aStride = rows.innerStride[0];
  const bStride = rows.innerStride[1];
  const outStride = rows.innerStride[2];
  const position = rows.position;
  for (let row = 0; row < rows.rowCount; row++, rows.next()) {
    binaryRow(
      code,
      a.data,
      position[0],
      aStride,
      b.data,
      position[1],
      bStride,
      out.data,
      position[2],
      outStride,
      rows.rowLength,
    );
  }
  return out;
}
