import type { TypedArray } from '../dtype.js';
import type { ConvGeometry } from './conv-geometry.js';

/**
 * Where each kernel tap reads inside the image: tap row i reads input rows for output rows
 * [rowStart[i], rowEnd[i]) and tap column j reads input columns for output columns
 * [columnStart[j], columnEnd[j]); every other output position of that tap falls in the padding.
 * Computed once per geometry, so the copy loops below do no bounds arithmetic.
 *
 * @example
 * const taps = tapRanges(conv2dGeometry([1, 1, 28, 28], { kernelSize: 5, padding: 2 }));
 * [taps.rowStart[0], taps.rowEnd[0]]; // [2, 28]: tap row 0 reads row oh − 2, inside for oh ≥ 2
 */
export interface TapRanges {
  readonly rowStart: Int32Array;
  readonly rowEnd: Int32Array;
  readonly columnStart: Int32Array;
  readonly columnEnd: Int32Array;
}

/**
 * The {@link TapRanges} of a geometry: output index o of tap t reads input o·stride − padBefore + t·dilation,
 * inside the image when 0 ≤ that < size, i.e. for o in [⌈(padBefore − t·dilation)/stride⌉, ⌊(size − 1 + padBefore − t·dilation)/stride⌋ + 1) ∩ [0, outSize).
 *
 * @example
 * tapRanges(conv2dGeometry([1, 1, 3, 3], { kernelSize: 2 })).columnEnd; // Int32Array [2, 2]
 */
export function tapRanges(g: ConvGeometry): TapRanges {
  const [rowStart, rowEnd] = axisRanges(
    g.kernelHeight,
    g.outHeight,
    g.height,
    g.strideHeight,
    g.dilationHeight,
    g.padTop,
  );
  const [columnStart, columnEnd] = axisRanges(
    g.kernelWidth,
    g.outWidth,
    g.width,
    g.strideWidth,
    g.dilationWidth,
    g.padLeft,
  );
  return { rowStart, rowEnd, columnStart, columnEnd };
}

function axisRanges(
  taps: number,
  outSize: number,
  size: number,
  stride: number,
  dilation: number,
  padBefore: number,
): [Int32Array, Int32Array] {
  const starts = new Int32Array(taps);
  const ends = new Int32Array(taps);
  for (let tap = 0; tap < taps; tap++) {
    const first = tap * dilation - padBefore; // the input index output 0 reads
    const start = Math.min(outSize, first >= 0 ? 0 : Math.ceil(-first / stride));
    const end = first >= size ? 0 : Math.min(outSize, Math.floor((size - 1 - first) / stride) + 1);
    starts[tap] = start;
    ends[tap] = Math.max(start, end); // an empty range is [start, start), never reversed
  }
  return [starts, ends];
}

/**
 * im2col's loop: writes every tap's outH·outW block, zeros where it reads the padding.
 *
 * @example
 * unfoldWindows(geometry, tapRanges(geometry), x.data, x.offset, cols.data, 0);
 */
export function unfoldWindows(
  g: ConvGeometry,
  taps: TapRanges,
  x: TypedArray,
  xOffset: number,
  cols: TypedArray,
  colsOffset: number,
): void {
  const planeSize = g.height * g.width;
  const planeColumns = g.kernelHeight * g.kernelWidth * g.outHeight * g.outWidth;
  // One call per image plane: V8 optimizes a small function called often better than one long
  // loop nest entered once (on-stack replacement), which measured up to twice as slow here.
  for (let plane = 0; plane < g.batch * g.channels; plane++)
    unfoldPlane(g, taps, x, xOffset + plane * planeSize, cols, colsOffset + plane * planeColumns);
}

/** {@link unfoldWindows} for one image plane: its kH·kW blocks of outH·outW columns entries. */
function unfoldPlane(
  g: ConvGeometry,
  taps: TapRanges,
  x: TypedArray,
  plane: number,
  cols: TypedArray,
  block: number,
): void {
  const { outWidth, width, strideWidth } = g;
  const blockSize = g.outHeight * outWidth;
  const sourceRowStep = g.strideHeight * width;
  for (let i = 0; i < g.kernelHeight; i++) {
    const top = taps.rowStart[i];
    const bottom = taps.rowEnd[i];
    const firstRow = top * g.strideHeight - g.padTop + i * g.dilationHeight;
    for (let j = 0; j < g.kernelWidth; j++, block += blockSize) {
      const left = taps.columnStart[j];
      const inside = taps.columnEnd[j] - left;
      const after = outWidth - left - inside;
      let source = plane + firstRow * width + left * strideWidth - g.padLeft + j * g.dilationWidth;
      let target = zeroRun(cols, block, top * outWidth);
      for (let oh = top; oh < bottom; oh++, source += sourceRowStep) {
        target = zeroRun(cols, target, left);
        target =
          strideWidth === 1
            ? copyRun(cols, target, x, source, inside)
            : copyStridedRun(cols, target, x, source, strideWidth, inside);
        target = zeroRun(cols, target, after);
      }
      zeroRun(cols, target, block + blockSize - target);
    }
  }
}

/**
 * col2im's loop, the adjoint of {@link unfoldWindows}: adds every tap's block back into the
 * (zeroed) input, skipping the padding. For each input element the additions happen in the order
 * of the columns' rows r, so sums are deterministic.
 *
 * @example
 * foldWindows(geometry, tapRanges(geometry), dx.data, 0, dCols.data, 0);
 */
export function foldWindows(
  g: ConvGeometry,
  taps: TapRanges,
  x: TypedArray,
  xOffset: number,
  cols: TypedArray,
  colsOffset: number,
): void {
  const planeSize = g.height * g.width;
  const planeColumns = g.kernelHeight * g.kernelWidth * g.outHeight * g.outWidth;
  for (let plane = 0; plane < g.batch * g.channels; plane++)
    foldPlane(g, taps, x, xOffset + plane * planeSize, cols, colsOffset + plane * planeColumns);
}

/** {@link foldWindows} for one image plane. */
function foldPlane(
  g: ConvGeometry,
  taps: TapRanges,
  x: TypedArray,
  plane: number,
  cols: TypedArray,
  block: number,
): void {
  const { outWidth, width, strideWidth } = g;
  const blockSize = g.outHeight * outWidth;
  const targetRowStep = g.strideHeight * width;
  for (let i = 0; i < g.kernelHeight; i++) {
    const top = taps.rowStart[i];
    const bottom = taps.rowEnd[i];
    const firstRow = top * g.strideHeight - g.padTop + i * g.dilationHeight;
    for (let j = 0; j < g.kernelWidth; j++, block += blockSize) {
      const left = taps.columnStart[j];
      const inside = taps.columnEnd[j] - left;
      let target = plane + firstRow * width + left * strideWidth - g.padLeft + j * g.dilationWidth;
      let source = block + top * outWidth + left;
      for (let oh = top; oh < bottom; oh++, target += targetRowStep, source += outWidth) {
        if (strideWidth === 1) addRun(x, target, cols, source, inside);
        else addStridedRun(x, target, strideWidth, cols, source, inside);
      }
    }
  }
}

/*
 * Row helpers, inlined by the compiler. Unrolled by four: in V8 a loop's back edge and bounds
 * checks cost more than the copy or addition itself. Each returns the index after its run.
 */

function zeroRun(cols: TypedArray, target: number, count: number): number {
  const end = target + count;
  for (; target < end; target++) cols[target] = 0;
  return end;
}

function copyRun(cols: TypedArray, target: number, x: TypedArray, source: number, count: number): number {
  const end = target + count;
  for (; target + 4 <= end; target += 4, source += 4) {
    cols[target] = x[source];
    cols[target + 1] = x[source + 1];
    cols[target + 2] = x[source + 2];
    cols[target + 3] = x[source + 3];
  }
  for (; target < end; target++, source++) cols[target] = x[source];
  return end;
}

function copyStridedRun(
  cols: TypedArray,
  target: number,
  x: TypedArray,
  source: number,
  stride: number,
  count: number,
): number {
  const end = target + count;
  for (; target < end; target++, source += stride) cols[target] = x[source];
  return end;
}

function addRun(x: TypedArray, target: number, cols: TypedArray, source: number, count: number): void {
  const end = source + count;
  for (; source + 4 <= end; source += 4, target += 4) {
    x[target] += cols[source];
    x[target + 1] += cols[source + 1];
    x[target + 2] += cols[source + 2];
    x[target + 3] += cols[source + 3];
  }
  for (; source < end; source++, target++) x[target] += cols[source];
}

function addStridedRun(
  x: TypedArray,
  target: number,
  stride: number,
  cols: TypedArray,
  source: number,
  count: number,
): void {
  for (const end = source + count; source < end; source++, target += stride) x[target] += cols[source];
}
