import type { DType, TypedArray } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { conv2dGeometry, type ConvGeometry, type Im2colOptions } from './conv-geometry.js';
import { copyInto } from './copy.js';
import { newTensor } from './new-tensor.js';
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
  const g = conv2dGeometry(x.shape, options, operation);
  const shape = [g.batch, g.channels * g.kernelHeight * g.kernelWidth, g.outHeight * g.outWidth];
  const out = prepareOut(options.out, shape, x.dtype, operation, x);
  const target = out.isContiguous ? out : newTensor(x.dtype, shape);
  const input = x.isContiguous ? x : x.contiguous(true);
  unfold(input.data, input.offset, target.data, target.offset, g);
  if (target !== out) copyInto(out, target);
  return out;
}

function unfold(x: TypedArray, xOffset: number, cols: TypedArray, colsOffset: number, g: ConvGeometry): void {
  const planeSize = g.height * g.width;
  const columns = g.outHeight * g.outWidth;
  let row = colsOffset;
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      const plane = xOffset + (n * g.channels + c) * planeSize;
      for (let i = 0; i < g.kernelHeight; i++) {
        for (let j = 0; j < g.kernelWidth; j++, row += columns) {
          let target = row;
          for (let oh = 0; oh < g.outHeight; oh++) {
            const ih = oh * g.strideHeight - g.padTop + i * g.dilationHeight;
            if (ih < 0 || ih >= g.height) {
              cols.fill(0, target, target + g.outWidth);
              target += g.outWidth;
              continue;
            }
            const source = plane + ih * g.width;
            for (let ow = 0, iw = j * g.dilationWidth - g.padLeft; ow < g.outWidth; ow++, iw += g.strideWidth, target++) {
              cols[target] = iw >= 0 && iw < g.width ? x[source + iw] : 0;
            }
          }
        }
      }
    }
  }
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
  const g = conv2dGeometry(inputShape, options, operation);
  const expected = [g.batch, g.channels * g.kernelHeight * g.kernelWidth, g.outHeight * g.outWidth];
  if (cols.rank !== 3 || !cols.shape.every((dimension, axis) => dimension === expected[axis])) {
    throw new AnnetError('SHAPE_MISMATCH', operation, `cols has shape ${formatShape(cols.shape)}; expected ${formatShape(expected)} for input ${formatShape(inputShape)}`);
  }
  const out = prepareOut(options.out, inputShape, cols.dtype, operation, cols);
  const target = out.isContiguous ? out : newTensor(cols.dtype, inputShape);
  target.data.fill(0, target.offset, target.offset + target.size);
  const source = cols.isContiguous ? cols : cols.contiguous(true);
  fold(source.data, source.offset, target.data, target.offset, g);
  if (target !== out) copyInto(out, target);
  return out;
}

function fold(cols: TypedArray, colsOffset: number, x: TypedArray, xOffset: number, g: ConvGeometry): void {
  const planeSize = g.height * g.width;
  const columns = g.outHeight * g.outWidth;
  let row = colsOffset;
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      const plane = xOffset + (n * g.channels + c) * planeSize;
      for (let i = 0; i < g.kernelHeight; i++) {
        for (let j = 0; j < g.kernelWidth; j++, row += columns) {
          let source = row;
          for (let oh = 0; oh < g.outHeight; oh++) {
            const ih = oh * g.strideHeight - g.padTop + i * g.dilationHeight;
            if (ih < 0 || ih >= g.height) {
              source += g.outWidth;
              continue;
            }
            const target = plane + ih * g.width;
            for (let ow = 0, iw = j * g.dilationWidth - g.padLeft; ow < g.outWidth; ow++, iw += g.strideWidth, source++) {
              if (iw >= 0 && iw < g.width) x[target + iw] += cols[source];
            }
          }
        }
      }
    }
  }
}
