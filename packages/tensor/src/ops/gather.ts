import type { DType, TypedArray } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { toIndexTensor, type IndicesLike } from './indices.js';
import { newTensor } from './new-tensor.js';
import { PlanCache } from './plan-cache.js';
import { assertTensor, prepareOut } from './validate.js';

/** Options of {@link gather}. */
export interface GatherOptions {
  /** Write the result here (shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`, x's dtype) instead of allocating. */
  out?: Tensor;
}

/** The result shape and the sizes of the axes before and after `axis` (as products). */
interface GatherPlan {
  readonly shape: readonly number[];
  readonly outer: number;
  readonly inner: number;
}

const plans = new PlanCache<GatherPlan>();

function gatherPlan(x: Tensor, along: number, indexShape: readonly number[]): GatherPlan {
  plans.begin();
  plans.addList(x.shape);
  plans.add(along);
  plans.addList(indexShape);
  const cached = plans.find();
  if (cached !== undefined) return cached;
  const before = x.shape.slice(0, along);
  const after = x.shape.slice(along + 1);
  return plans.store({ shape: [...before, ...indexShape, ...after], outer: sizeOf(before), inner: sizeOf(after) });
}

/**
 * Takes slices of `x` along `axis` at `indices` (TensorFlow.js's `gather`, NumPy's `take`):
 * the result has shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Negative indices
 * count from the end. Copies, into `options.out` when given (which must not share memory with
 * `x` or the indices); with contiguous tensors and `out`, a call allocates nothing.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * gather(x, [2, 0]);     // [[5, 6], [1, 2]]   (rows, e.g. a mini-batch)
 * gather(x, [1], 1);     // [[2], [4], [6]]
 * gather(table, ids, 0, { out: rows }); // an embedding lookup into a reused buffer
 */
export function gather<D extends DType>(
  x: Tensor<D>,
  indices: IndicesLike,
  axis = 0,
  options: GatherOptions = {},
): Tensor<D> {
  const operation = 'gather';
  assertTensor(x, operation, 'x');
  const along = normalizeAxis(axis, x.rank, operation);
  const index = toIndexTensor(indices, operation);
  const picks = index.isContiguous ? index : index.contiguous(true);
  const dimension = x.shape[along];
  checkPicks(picks.data, picks.offset, picks.size, dimension, along, x.shape);
  const plan = gatherPlan(x, along, index.shape);
  const out = prepareOut(options.out, plan.shape, x.dtype, operation, x, index);
  if (out.size === 0) return out;
  // Strided operands go through row-major copies (they allocate; contiguous ones do not).
  const source = x.isContiguous ? x : x.contiguous(true);
  const target = out.isContiguous ? out : newTensor(x.dtype, plan.shape);
  copyRows(
    source.data,
    source.offset,
    target.data,
    target.offset,
    picks.data,
    picks.offset,
    picks.size,
    plan.outer,
    dimension,
    plan.inner,
  );
  if (target !== out) copyInto(out, target);
  return out;
}

function checkPicks(
  picks: TypedArray,
  offset: number,
  count: number,
  dimension: number,
  along: number,
  shape: readonly number[],
): void {
  for (let position = offset; position < offset + count; position++) {
    const value = picks[position];
    if (value < -dimension || value >= dimension) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        'gather',
        `index ${value} is out of range for axis ${along} of size ${dimension} (shape ${formatShape(shape)})`,
      );
    }
  }
}

/** out[o, p, :] = x[o, picks[p], :] for contiguous x [outer, dimension, inner] and out [outer, count, inner]. */
function copyRows(
  x: TypedArray,
  xOffset: number,
  out: TypedArray,
  outOffset: number,
  picks: TypedArray,
  picksOffset: number,
  count: number,
  outer: number,
  dimension: number,
  inner: number,
): void {
  let target = outOffset;
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < count; p++) {
      const pick = picks[picksOffset + p];
      const source = xOffset + (o * dimension + (pick < 0 ? pick + dimension : pick)) * inner;
      for (let j = 0; j < inner; j++) out[target + j] = x[source + j];
      target += inner;
    }
  }
}
