import type { DType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { shapesEqual } from '../shape.js';
import { conv2dGeometry, type ConvGeometry, type Im2colOptions } from './conv-geometry.js';
import { copyInto } from './copy.js';
import { newTensor } from './new-tensor.js';
import { PlanCache } from './plan-cache.js';
import { assertTensor, prepareOut } from './validate.js';
import { foldWindows, tapRanges, unfoldWindows, type TapRanges } from './window-loops.js';
import { windowsResident } from './window-resident.js';

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
 * Cost: one write per columns element. Each tap's in-image range is computed once per shape, so
 * rows are plain copies with no per-element bounds test (see window-loops.ts); float32 arrays
 * resident in the WebAssembly kernels' memory are copied there, four lanes at a time (the same bits).
 *
 * @example
 * const x = randomNormal([8, 3, 32, 32], rng);
 * const cols = im2col(x, { kernelSize: 3, padding: 1 });  // [8, 27, 1024]
 */
export function im2col<D extends DType>(x: Tensor<D>, options: Im2colCallOptions): Tensor<D> {
  const operation = 'im2col';
  assertTensor(x, operation, 'x');
  const plan = cachedPlan(x.shape, options, operation);
  const out = prepareOut(options.out, plan.columnsShape, x.dtype, operation, x);
  const target = out.isContiguous ? out : newTensor(x.dtype, plan.columnsShape);
  const input = x.isContiguous ? x : x.contiguous(true);
  if (!windowsResident('unfold', plan.geometry, input.data, input.offset, target.data, target.offset))
    unfoldWindows(plan.geometry, plan.taps, input.data, input.offset, target.data, target.offset);
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
export function col2im<D extends DType>(
  cols: Tensor<D>,
  inputShape: readonly number[],
  options: Im2colCallOptions,
): Tensor<D> {
  const operation = 'col2im';
  assertTensor(cols, operation, 'cols');
  const plan = cachedPlan(inputShape, options, operation);
  if (!shapesEqual(cols.shape, plan.columnsShape)) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `cols has shape ${formatShape(cols.shape)}; expected ${formatShape(plan.columnsShape)} for input ${formatShape(inputShape)}`,
    );
  }
  const out = prepareOut(options.out, inputShape, cols.dtype, operation, cols);
  const target = out.isContiguous ? out : newTensor(cols.dtype, inputShape);
  const source = cols.isContiguous ? cols : cols.contiguous(true);
  if (!windowsResident('fold', plan.geometry, target.data, target.offset, source.data, source.offset)) {
    target.data.fill(0, target.offset, target.offset + target.size);
    foldWindows(plan.geometry, plan.taps, target.data, target.offset, source.data, source.offset);
  }
  if (target !== out) copyInto(out, target);
  return out;
}

/** Everything an input shape and options determine: the geometry, the columns' shape, the tap ranges. */
interface WindowPlan {
  readonly geometry: ConvGeometry;
  readonly columnsShape: readonly number[];
  readonly taps: TapRanges;
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

/** The plan of an input shape and option values, cached so a training step allocates nothing (shared with im2col-batch-columns.ts). */
export function cachedPlan(inputShape: readonly number[], options: Im2colOptions, operation: string): WindowPlan {
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
  const columnsShape = [
    geometry.batch,
    geometry.channels * geometry.kernelHeight * geometry.kernelWidth,
    geometry.outHeight * geometry.outWidth,
  ];
  return windowPlans.store({ geometry, columnsShape, taps: tapRanges(geometry) });
}
