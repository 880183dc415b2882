import type { DType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { planReduction, reduceBlocks, type Axes, type BlockReducer, type ReductionPlan } from './reduce-plan.js';
import { assertTensor, prepareOut } from './validate.js';

/** Options of the reductions. */
export interface ReduceOptions {
  /** Write the result here (shape and dtype of the result) instead of allocating. */
  out?: Tensor;
}

/**
 * Validates, plans and runs a reduction: `reducer` gets each block and returns its value,
 * which `finish` may transform with the block size (mean divides by it). Reductions with no
 * identity (max, argmax, ...) pass `needsElements` so that empty blocks are an error.
 *
 * @example
 * runReduction('sum', x, 0, false, {}, x.dtype, blockSum);
 */
export function runReduction(
  operation: string, x: Tensor, axes: Axes, keepDims: boolean, options: ReduceOptions, dtype: DType,
  reducer: BlockReducer, needsElements = false,
): Tensor {
  assertTensor(x, operation, 'x');
  const plan = planReduction(x.shape, axes, keepDims, operation);
  const out = prepareOut(options.out, plan.outShape, dtype, operation, x);
  if (needsElements && plan.blockSize === 0 && out.size > 0) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `cannot reduce zero elements: shape ${formatShape(x.shape)} over axes ${formatShape(plan.axes)} has no identity for ${operation}`);
  }
  reduceBlocks(x, plan, out, reducer);
  return out;
}

/**
 * Plans a reduction without running it (for reducers that need the block size up front).
 *
 * @example
 * planFor('mean', zeros([2, 3]), 1, false).blockSize; // 3
 */
export function planFor(operation: string, x: Tensor, axes: Axes, keepDims: boolean): ReductionPlan {
  assertTensor(x, operation, 'x');
  return planReduction(x.shape, axes, keepDims, operation);
}
