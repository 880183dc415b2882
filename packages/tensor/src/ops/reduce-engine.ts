import type { DType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import { contiguousStrides } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { PlanCache } from './plan-cache.js';
import {
  planReduction,
  reduceBlocks,
  reductionWalkers,
  type Axes,
  type BlockReducer,
  type ReductionPlan,
  type ReductionWalkers,
} from './reduce-plan.js';
import { assertTensor, prepareOut } from './validate.js';

/** Options of the reductions. */
export interface ReduceOptions {
  /** Write the result here (shape and dtype of the result) instead of allocating. */
  out?: Tensor;
}

interface CachedReduction {
  readonly plan: ReductionPlan;
  /** Undefined when `out` has the wrong shape (prepareOut then throws). */
  readonly walkers: ReductionWalkers | undefined;
}

const reductions = new PlanCache<CachedReduction>();

/** Appends the axes argument to the plan key: tag 0 for all, 1 for one axis, 2 for a list. */
function addAxes(axes: Axes): void {
  if (axes === null || axes === undefined) reductions.add(0);
  else if (typeof axes === 'number') {
    reductions.add(1);
    reductions.add(axes);
  } else {
    reductions.add(2);
    reductions.addList(axes);
  }
}

/** The plan and walkers of this reduction layout, cached so a call with `out` allocates nothing. */
function cachedReduction(
  operation: string,
  x: Tensor,
  axes: Axes,
  keepDims: boolean,
  out: Tensor | undefined,
): CachedReduction {
  reductions.begin();
  reductions.addList(x.shape);
  reductions.addList(x.strides);
  addAxes(axes);
  reductions.add(keepDims ? 1 : 0);
  if (out === undefined) reductions.add(-1);
  else reductions.addList(out.strides);
  const cached = reductions.find();
  if (cached !== undefined) return cached;
  const plan = planReduction(x.shape, axes, keepDims, operation);
  if (
    out !== undefined &&
    (out.rank !== plan.outShape.length || out.shape.some((dimension, axis) => dimension !== plan.outShape[axis]))
  ) {
    return { plan, walkers: undefined };
  }
  const outStrides = out === undefined ? contiguousStrides(plan.outShape) : out.strides;
  return reductions.store({ plan, walkers: reductionWalkers(x, plan, outStrides) });
}

/**
 * Validates, plans and runs a reduction: `reducer` gets each block (with its size) and returns
 * its value. Reductions with no identity (max, argmax, ...) pass `needsElements` so that empty
 * blocks are an error. Plans are cached per layout (shape, strides, axes, keepDims, out strides).
 *
 * @example
 * runReduction('sum', x, 0, false, {}, x.dtype, blockSum);
 */
export function runReduction(
  operation: string,
  x: Tensor,
  axes: Axes,
  keepDims: boolean,
  options: ReduceOptions,
  dtype: DType,
  reducer: BlockReducer,
  needsElements = false,
): Tensor {
  assertTensor(x, operation, 'x');
  const { plan, walkers } = cachedReduction(operation, x, axes, keepDims, options.out);
  const out = prepareOut(options.out, plan.outShape, dtype, operation, x);
  if (needsElements && plan.blockSize === 0 && out.size > 0) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `cannot reduce zero elements: shape ${formatShape(x.shape)} over axes ${formatShape(plan.axes)} has no identity for ${operation}`,
    );
  }
  reduceBlocks(x, plan.blockSize, walkers as ReductionWalkers, out, reducer);
  return out;
}
