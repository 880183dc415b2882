import type { DType, TypedArray } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { shapesEqual } from '../shape.js';
import { conv2dGeometry, type ConvGeometry, type Im2colOptions } from './conv-geometry.js';
import { copyInto } from './copy.js';
import { newTensor } from './new-tensor.js';
import { PlanCache } from './plan-cache.js';
import { assertTensor, prepareOut } from './validate.js';

/** Options of {@link im2col} and {@link col2im}: the geometry plus an optional output buffer. */
export interface Im2colCallOptions extends Im2colOptions {
  /** Write the result here (same shape and dtype) instead of allocating. */
  out?: Tensor;
}

/**
 * Unfolds the sliding windows of an NCHW input into columns, so that a 2-D convolution is one
 * batched matmul (PyTorch's `unfold` layout):
 *
 *   cols: [N, C·kH·kW, outH·outW]
 *   cols[n, (c·kH + i)·kW + j, oh·outW + ow] = x[n, c, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW]
 *   (0 where that falls in the padding).
 *
 * Conv2D with weights w: [F, C, kH, kW] is then
 *   y = matmul(w.reshape([F, C·kH·kW]), cols).reshape([N, F, outH, outW]),
 * and its gradients are dW = sum(matmul(dY.reshape([N, F, outH·outW]), cols, { transposeB: true }), 0)
 * and dX = col2im(matmul(w.reshape([F, C·kH·kW]), dY.reshape([N, F, outH·outW]), { transposeA: true }), x.shape, options).
 *
 * @example
 * const x = randomNormal([8, 3, 32, 32], rng);
 * const cols = im2col(x, { kernelSize: 3, padding: 1 });  // [8, 27, 1024]
 */
export function im2col<D extends DType>(x: Tensor<D>, options: Im2colCallOptions): Tensor<D> {
  const operation = 'im2col';
  assertTensor(x, operation, 'x');
  const { geometry, columnsShape } = cachedGeometry(x.shape, options, operation);
  const out = prepareOut(options.out, columnsShape, x.dtype, operation, x);
  const target = out.isContiguous ? out : newTensor(x.dtype, columnsShape);
  const input = x.isContiguous ? x : x.contiguous(true);
  walkWindows(geometry, input.data, input.offset, target.data, target.offset, unfoldSegment);
  if (target !== out) copyInto(out, target);
  return out;
}

/**
 * The adjoint of {@link im2col}: folds columns [N, C·kH·kW, outH·outW] back into an NCHW
 * tensor of `inputShape`, summing the contributions of overlapping windows (and dropping those
 * that fall in the padding). This maps the gradient of the columns to the gradient of the
 * input. Sums run in the output dtype, in cols' row order, so results are deterministic.
 *
 * @example
 * const dX = col2im(dCols, [8, 3, 32, 32], { kernelSize: 3, padding: 1 });
 */
export function col2im<D extends DType>(cols: Tensor<D>, inputShape: readonly number[], options: Im2colCallOptions): Tensor<D> {
  const operation = 'col2im';
  assertTensor(cols, operation, 'cols');
  const { geometry, columnsShape } = cachedGeometry(inputShape, options, operation);
  if (!shapesEqual(cols.shape, columnsShape)) {
    throw new AnnetError('SHAPE_MISMATCH', operation, `cols has shape ${formatShape(cols.shape)}; expected ${formatShape(columnsShape)} for input ${formatShape(inputShape)}`);
  }
  const out = prepareOut(options.out, inputShape, cols.dtype, operation, cols);
  const target = out.isContiguous ? out : newTensor(cols.dtype, inputShape);
  target.data.fill(0, target.offset, target.offset + target.size);
  const source = cols.isContiguous ? cols : cols.contiguous(true);
  walkWindows(geometry, target.data, target.offset, source.data, source.offset, foldSegment);
  if (target !== out) copyInto(out, target);
  return out;
}

/** The geometry of an input shape and options, and the columns' shape [N, C·kH·kW, outH·outW]. */
interface WindowPlan {
  readonly geometry: ConvGeometry;
  readonly columnsShape: readonly number[];
}

const windowPlans = new PlanCache<WindowPlan>();

/** Appends one option (a number, a list, or absent) to the plan key. */
function addOption(value: unknown): void {
  if (typeof value === 'number') {
    windowPlans.add(0);
    windowPlans.add(value);
  } else if (Array.isArray(value)) {
    windowPlans.add(1);
    windowPlans.addList(value as number[]);
  } else {
    windowPlans.add(value === undefined ? -1 : Number.NaN); // NaN never matches: invalid options are re-checked (and rejected)
  }
}

/** {@link conv2dGeometry}, cached per input shape and option values so a training step allocates nothing. */
function cachedGeometry(inputShape: readonly number[], options: Im2colOptions, operation: string): WindowPlan {
  windowPlans.begin();
  windowPlans.addList(Array.isArray(inputShape) ? inputShape : []);
  if (typeof options === 'object' && options !== null) {
    addOption(options.kernelSize);
    addOption(options.stride);
    addOption(options.padding);
    addOption(options.dilation);
  } else {
    windowPlans.add(Number.NaN);
  }
  const cached = windowPlans.find();
  if (cached !== undefined) return cached;
  const geometry = conv2dGeometry(inputShape, options, operation);
  const columnsShape = [geometry.batch, geometry.channels * geometry.kernelHeight * geometry.kernelWidth, geometry.outHeight * geometry.outWidth];
  return windowPlans.store({ geometry, columnsShape });
}

/**
 * Handles one row of one window tap: the `outWidth` columns entries from `colsIndex`, of which
 * the first `before` and the last `after` fall in the padding and the `inside` ones between map
 * to `x[xIndex + t·xStride]`. A vertically padded row has `inside` 0.
 */
type Segment = (x: TypedArray, cols: TypedArray, colsIndex: number, xIndex: number, xStride: number, before: number, inside: number, after: number) => void;

/** im2col's segment: copy the taps, zeros in the padding. */
function unfoldSegment(x: TypedArray, cols: TypedArray, colsIndex: number, xIndex: number, xStride: number, before: number, inside: number, after: number): void {
  if (before > 0) cols.fill(0, colsIndex, colsIndex + before);
  const start = colsIndex + before;
  const end = start + inside;
  if (xStride === 1) for (let target = start, source = xIndex; target < end; target++, source++) cols[target] = x[source];
  else for (let target = start, source = xIndex; target < end; target++, source += xStride) cols[target] = x[source];
  if (after > 0) cols.fill(0, end, end + after);
}

/** col2im's segment: add the taps back, drop the padding. */
function foldSegment(x: TypedArray, cols: TypedArray, colsIndex: number, xIndex: number, xStride: number, before: number, inside: number): void {
  const start = colsIndex + before;
  const end = start + inside;
  for (let source = start, target = xIndex; source < end; source++, target += xStride) x[target] += cols[source];
}

/**
 * The one loop nest behind im2col and col2im: for every sample n, channel c, tap (i, j) and
 * output row oh, the input row ih = oh·sH − padTop + i·dH and the range of output columns ow
 * whose input column iw = ow·sW − padLeft + j·dW lies inside the image, computed once per tap
 * so the inner loops need no bounds checks. Columns rows are visited in order.
 */
function walkWindows(g: ConvGeometry, x: TypedArray, xOffset: number, cols: TypedArray, colsOffset: number, segment: Segment): void {
  const planeSize = g.height * g.width;
  const outWidth = g.outWidth;
  let colsIndex = colsOffset;
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      const plane = xOffset + (n * g.channels + c) * planeSize;
      for (let i = 0; i < g.kernelHeight; i++) {
        for (let j = 0; j < g.kernelWidth; j++) {
          const firstColumn = j * g.dilationWidth - g.padLeft;
          // Output columns [start, end) read inside the image: 0 <= firstColumn + ow·sW < width.
          const start = Math.min(outWidth, firstColumn >= 0 ? 0 : Math.ceil(-firstColumn / g.strideWidth));
          const end = Math.max(start, Math.min(outWidth, firstColumn >= g.width ? 0 : Math.floor((g.width - 1 - firstColumn) / g.strideWidth) + 1));
          for (let oh = 0; oh < g.outHeight; oh++, colsIndex += outWidth) {
            const ih = oh * g.strideHeight - g.padTop + i * g.dilationHeight;
            if (ih < 0 || ih >= g.height) segment(x, cols, colsIndex, 0, 1, outWidth, 0, 0);
            else segment(x, cols, colsIndex, plane + ih * g.width + firstColumn + start * g.strideWidth, g.strideWidth, start, end - start, outWidth - end);
          }
        }
      }
    }
  }
}
