import type { DType, TypedArray } from '../dtype.js';
import { contiguousStrides, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { FloatResult } from './dtype-rules.js';
import { PlanCache } from './plan-cache.js';
import type { ReduceOptions } from './reduce-engine.js';
import { RowIterator } from './row-iterator.js';
import { floatResult } from './unary-engine.js';
import { assertTensor, prepareOut } from './validate.js';

type SliceKernel = (
  x: TypedArray,
  xIndex: number,
  xStride: number,
  out: TypedArray,
  outIndex: number,
  outStride: number,
  length: number,
) => void;

/** The walker over every 1-D slice along one axis of one layout (x and out). */
const slicePlans = new PlanCache<RowIterator>();

function sliceWalker(x: Tensor, along: number, outStrides: readonly number[] | undefined): RowIterator {
  slicePlans.begin();
  slicePlans.addList(x.shape);
  slicePlans.addList(x.strides);
  slicePlans.add(along);
  if (outStrides === undefined) slicePlans.add(-1);
  else slicePlans.addList(outStrides);
  const cached = slicePlans.find();
  if (cached !== undefined) return cached;
  const kept = [...Array(x.rank).keys()].filter((candidate) => candidate !== along);
  const resultStrides = outStrides ?? contiguousStrides(x.shape);
  return slicePlans.store(
    new RowIterator(
      kept.map((k) => x.shape[k]),
      [kept.map((k) => x.strides[k]), kept.map((k) => resultStrides[k])],
      [0, 0],
    ),
  );
}

/** Runs `kernel` on every 1-D slice of `x` along `axis`, writing the slice of `out` at the same place. */
function alongAxis(operation: string, x: Tensor, axis: number, options: ReduceOptions, kernel: SliceKernel): Tensor {
  assertTensor(x, operation, 'x');
  const along = normalizeAxis(axis, x.rank, operation);
  const out = prepareOut(options.out, x.shape, floatResult(x.dtype), operation);
  if (out.size === 0) return out;
  const slices = sliceWalker(x, along, options.out === undefined ? undefined : out.strides);
  slices.restart(x.offset, out.offset);
  const xStep = slices.innerStride[0];
  const outStep = slices.innerStride[1];
  const length = x.shape[along];
  for (let row = 0; row < slices.rowCount; row++, slices.next()) {
    for (
      let j = 0, xIndex = slices.position[0], outIndex = slices.position[1];
      j < slices.rowLength;
      j++, xIndex += xStep, outIndex += outStep
    ) {
      kernel(x.data, xIndex, x.strides[along], out.data, outIndex, out.strides[along], length);
    }
  }
  return out;
}

function sliceMax(x: TypedArray, xIndex: number, xStride: number, length: number): number {
  let best = -Infinity;
  for (let j = 0, i = xIndex; j < length; j++, i += xStride) if (x[i] > best || x[i] !== x[i]) best = x[i];
  return best;
}

/** out = exp(x − m) / Σ exp(x − m): exp is evaluated twice so each result is rounded once. */
function softmaxSlice(
  x: TypedArray,
  xIndex: number,
  xStride: number,
  out: TypedArray,
  outIndex: number,
  outStride: number,
  length: number,
): void {
  const shift = sliceMax(x, xIndex, xStride, length);
  let total = 0;
  for (let j = 0, i = xIndex; j < length; j++, i += xStride) total += Math.exp(x[i] - shift);
  for (let j = 0, i = xIndex, o = outIndex; j < length; j++, i += xStride, o += outStride)
    out[o] = Math.exp(x[i] - shift) / total;
}

/** out = x − m − log Σ exp(x − m). */
function logSoftmaxSlice(
  x: TypedArray,
  xIndex: number,
  xStride: number,
  out: TypedArray,
  outIndex: number,
  outStride: number,
  length: number,
): void {
  const shift = sliceMax(x, xIndex, xStride, length);
  let total = 0;
  for (let j = 0, i = xIndex; j < length; j++, i += xStride) total += Math.exp(x[i] - shift);
  const logTotal = shift + Math.log(total);
  for (let j = 0, i = xIndex, o = outIndex; j < length; j++, i += xStride, o += outStride) out[o] = x[i] - logTotal;
}

/**
 * Softmax along `axis` (default the last): exp(xᵢ − m) / Σⱼ exp(xⱼ − m) with m the slice's
 * maximum, so large logits never overflow; the sum accumulates in float64. int32 input gives
 * float32.
 *
 * @example
 * softmax(tensor([[1, 2, 3], [1000, 1000, 1000]])); // [[0.090, 0.245, 0.665], [1/3, 1/3, 1/3]]
 */
export function softmax<D extends DType>(x: Tensor<D>, axis = -1, options: ReduceOptions = {}): Tensor<FloatResult<D>> {
  return alongAxis('softmax', x, axis, options, softmaxSlice) as Tensor<FloatResult<D>>;
}

/**
 * log softmax along `axis` (default the last): xᵢ − m − log Σⱼ exp(xⱼ − m), accurate where
 * log(softmax(x)) would underflow to −Infinity.
 *
 * @example
 * logSoftmax(tensor([0, -1000])); // [0, -1000]
 */
export function logSoftmax<D extends DType>(
  x: Tensor<D>,
  axis = -1,
  options: ReduceOptions = {},
): Tensor<FloatResult<D>> {
  return alongAxis('logSoftmax', x, axis, options, logSoftmaxSlice) as Tensor<FloatResult<D>>;
}
