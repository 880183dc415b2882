import { describeValue } from '../describe-value.js';
import { AnnetError, formatShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { RowIterator } from './row-iterator.js';

/** Axes to reduce: one axis, a list, or `null`/`undefined` for all of them. Negative axes count from the end. */
export type Axes = number | readonly number[] | null | undefined;

/** What a reduction over `axes` of a tensor produces. */
export interface ReductionPlan {
  /** Reduced axes, normalized and ascending. */
  axes: number[];
  /** Axes that stay, ascending. */
  kept: number[];
  /** Shape of the result (reduced axes removed, or 1 with keepDims). */
  outShape: number[];
  /** Number of elements each result element reduces. */
  blockSize: number;
}

/**
 * Normalizes `axes` for a tensor of `rank`, rejecting out-of-range and repeated axes.
 *
 * @example
 * planReduction([2, 3, 4], [-1, 0], true, 'sum'); // axes [0, 2], kept [1], outShape [1, 3, 1], blockSize 8
 */
export function planReduction(
  shape: readonly number[],
  axes: Axes,
  keepDims: boolean,
  operation: string,
): ReductionPlan {
  const rank = shape.length;
  const list = axes === null || axes === undefined ? [...Array(rank).keys()] : axisList(axes, rank, operation);
  const normalized = list.map((axis) => normalizeAxis(axis, rank, operation));
  if (new Set(normalized).size !== normalized.length) {
    throw new AnnetError('INVALID_AXIS', operation, `axes ${formatShape(list)} repeat an axis`);
  }
  normalized.sort((a, b) => a - b);
  const reduced = new Set(normalized);
  const kept = [...Array(rank).keys()].filter((axis) => !reduced.has(axis));
  const outShape = keepDims
    ? shape.map((dimension, axis) => (reduced.has(axis) ? 1 : dimension))
    : kept.map((axis) => shape[axis]);
  let blockSize = 1;
  for (const axis of normalized) blockSize *= shape[axis];
  return { axes: normalized, kept, outShape, blockSize };
}

/** `axes` as a list: one axis, or an array (or typed array) of them; anything else is an error, not "no axes". */
function axisList(axes: number | readonly number[], rank: number, operation: string): number[] {
  if (typeof axes === 'number') return [axes];
  if (Array.isArray(axes) || axes instanceof Int32Array) return Array.from(axes);
  throw new AnnetError(
    'INVALID_AXIS',
    operation,
    `axis must be an integer in [${-rank}, ${rank}), a list of them, or null for all axes, got ${describeValue(axes)}`,
  );
}

/**
 * Reduces one block (the elements of `data` that map to one result element) and returns the
 * result. `block` stands at the block's start; `base` is that start in `data`, so a two-pass
 * reducer can walk the block again (`block.restart(base)`); `count` is the block's size.
 */
export type BlockReducer = (data: Tensor['data'], block: RowIterator, base: number, count: number) => number;

/** The row walkers of one reduction layout: over one block, and over the result elements (in x and out). */
export interface ReductionWalkers {
  readonly block: RowIterator;
  readonly results: RowIterator;
}

/**
 * The walkers for reducing `x` by `plan` into an output of shape `plan.outShape` laid out
 * with `outStrides` (any layout).
 *
 * @example
 * const walkers = reductionWalkers(x, plan, out.strides);
 */
export function reductionWalkers(x: Tensor, plan: ReductionPlan, outStrides: readonly number[]): ReductionWalkers {
  const block = new RowIterator(
    plan.axes.map((axis) => x.shape[axis]),
    [plan.axes.map((axis) => x.strides[axis])],
    [0],
  );
  const outKeptStrides = outStrides.length === x.rank ? plan.kept.map((axis) => outStrides[axis]) : outStrides.slice();
  const results = new RowIterator(
    plan.kept.map((axis) => x.shape[axis]),
    [plan.kept.map((axis) => x.strides[axis]), outKeptStrides],
    [0, 0],
  );
  return { block, results };
}

/**
 * Calls `reduceBlock` once per result element and writes what it returns into `out`. The block
 * walker visits the reduced axes in row-major order, so a reducer sees each block's elements in
 * a fixed order: results are deterministic.
 *
 * @example
 * const plan = planReduction(x.shape, 1, false, 'sum');
 * const out = newTensor(x.dtype, plan.outShape);
 * reduceBlocks(x, plan.blockSize, reductionWalkers(x, plan, out.strides), out, blockSum);
 */
export function reduceBlocks(
  x: Tensor,
  blockSize: number,
  walkers: ReductionWalkers,
  out: Tensor,
  reduceBlock: BlockReducer,
): void {
  if (out.size === 0) return;
  const { block, results } = walkers;
  results.restart(x.offset, out.offset);
  const xStride = results.innerStride[0];
  const outStride = results.innerStride[1];
  const data = x.data;
  const target = out.data;
  for (let row = 0; row < results.rowCount; row++, results.next()) {
    let xIndex = results.position[0];
    let outIndex = results.position[1];
    for (let j = 0; j < results.rowLength; j++, xIndex += xStride, outIndex += outStride) {
      block.restart(xIndex);
      target[outIndex] = reduceBlock(data, block, xIndex, blockSize);
    }
  }
}
