import type { TypedArray } from '../dtype.js';

/**
 * Codes of the elementwise binary ops. One function per loop shape switches on the code once
 * per row, so each op runs its own plain loop (no callback per element).
 */
export const BinaryCode = {
  add: 0,
  sub: 1,
  mul: 2,
  mulInt32: 3,
  div: 4,
  pow: 5,
  maximum: 6,
  minimum: 7,
  equal: 8,
  notEqual: 9,
  greater: 10,
  greaterEqual: 11,
  less: 12,
  lessEqual: 13,
} as const;

/** One of {@link BinaryCode}'s values. */
export type BinaryCode = (typeof BinaryCode)[keyof typeof BinaryCode];

/**
 * out[o + j] = x[i + j] ∘ y[k + j] for j < length: the fast path for contiguous operands of
 * one shape, as plain as a hand-written loop.
 *
 * @example
 * binaryContiguous(BinaryCode.add, x.data, 0, y.data, 0, out.data, 0, out.size);
 */
export function binaryContiguous(
  code: BinaryCode,
  x: TypedArray,
  xStart: number,
  y: TypedArray,
  yStart: number,
  out: TypedArray,
  outStart: number,
  length: number,
): void {
  if (x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array) {
    if (binaryContiguousFloat32(code, x, xStart, y, yStart, out, outStart, length)) return;
  }
  const xShift = xStart - outStart;
  const yShift = yStart - outStart;
  const end = outStart + length;
  switch (code) {
    case BinaryCode.add:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] + y[o + yShift];
      return;
    case BinaryCode.sub:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] - y[o + yShift];
      return;
    case BinaryCode.mul:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] * y[o + yShift];
      return;
    default:
      binaryStrided(code, x, xStart, 1, y, yStart, 1, out, outStart, 1, length);
  }
}

/**
 * The same loops for all-float32 operands (the common case), in a function of their own so
 * that V8's type feedback there stays monomorphic: once int32 or float64 tensors have gone
 * through the shared loops, those run about 1.7x slower. Returns false for ops it lacks.
 */
function binaryContiguousFloat32(
  code: BinaryCode,
  x: Float32Array,
  xStart: number,
  y: Float32Array,
  yStart: number,
  out: Float32Array,
  outStart: number,
  length: number,
): boolean {
  const xShift = xStart - outStart;
  const yShift = yStart - outStart;
  const end = outStart + length;
  switch (code) {
    case BinaryCode.add:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] + y[o + yShift];
      return true;
    case BinaryCode.sub:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] - y[o + yShift];
      return true;
    case BinaryCode.mul:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] * y[o + yShift];
      return true;
    case BinaryCode.div:
      for (let o = outStart; o < end; o++) out[o] = x[o + xShift] / y[o + yShift];
      return true;
    default:
      return false;
  }
}

/**
 * One row of a broadcast op, by the fastest loop its strides allow: contiguous operands take
 * {@link binaryContiguous}; a row that pairs a contiguous operand with one repeated value
 * (stride 0: a per-channel bias added over H·W positions) reads that value once; anything else
 * takes {@link binaryStrided}.
 *
 * @example
 * binaryRow(BinaryCode.add, x, 0, 1, bias, channel, 0, out, 0, 1, positions); // out = x + bias[channel]
 */
export function binaryRow(
  code: BinaryCode,
  x: TypedArray,
  xIndex: number,
  xStride: number,
  y: TypedArray,
  yIndex: number,
  yStride: number,
  out: TypedArray,
  outIndex: number,
  outStride: number,
  length: number,
): void {
  if (outStride === 1) {
    if (xStride === 1 && yStride === 1) return binaryContiguous(code, x, xIndex, y, yIndex, out, outIndex, length);
    if (xStride === 1 && yStride === 0 && binaryWithValue(code, x, xIndex, y[yIndex], false, out, outIndex, length))
      return;
    if (xStride === 0 && yStride === 1 && binaryWithValue(code, y, yIndex, x[xIndex], true, out, outIndex, length))
      return;
  }
  binaryStrided(code, x, xIndex, xStride, y, yIndex, yStride, out, outIndex, outStride, length);
}

/**
 * out[o + j] = x[i + j] ∘ value (or value ∘ x[i + j] when `valueFirst`) for the four arithmetic
 * ops on float32 arrays (the broadcast bias case); returns false otherwise, leaving the row to
 * {@link binaryStrided}. Its own function, so V8's type feedback there stays monomorphic.
 */
function binaryWithValue(
  code: BinaryCode,
  x: TypedArray,
  xStart: number,
  value: number,
  valueFirst: boolean,
  out: TypedArray,
  outStart: number,
  length: number,
): boolean {
  if (!(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const shift = xStart - outStart;
  const end = outStart + length;
  switch (code) {
    case BinaryCode.add:
      for (let o = outStart; o < end; o++) out[o] = x[o + shift] + value;
      return true;
    case BinaryCode.mul:
      for (let o = outStart; o < end; o++) out[o] = x[o + shift] * value;
      return true;
    case BinaryCode.sub:
      if (valueFirst) for (let o = outStart; o < end; o++) out[o] = value - x[o + shift];
      else for (let o = outStart; o < end; o++) out[o] = x[o + shift] - value;
      return true;
    case BinaryCode.div:
      if (valueFirst) for (let o = outStart; o < end; o++) out[o] = value / x[o + shift];
      else for (let o = outStart; o < end; o++) out[o] = x[o + shift] / value;
      return true;
    default:
      return false;
  }
}

/**
 * out[o + j·so] = x[i + j·sx] ∘ y[k + j·sy] for j < length: one row of a strided or broadcast op.
 *
 * @example
 * // one row of a [rows, 3] + [3] broadcast: y's stride is 1, x's row starts at 3·row
 * binaryStrided(BinaryCode.add, x, 3 * row, 1, y, 0, 1, out, 3 * row, 1, 3);
 */
export function binaryStrided(
  code: BinaryCode,
  x: TypedArray,
  xIndex: number,
  xStride: number,
  y: TypedArray,
  yIndex: number,
  yStride: number,
  out: TypedArray,
  outIndex: number,
  outStride: number,
  length: number,
): void {
  let i = xIndex;
  let k = yIndex;
  let o = outIndex;
  switch (code) {
    case BinaryCode.add:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] + y[k];
      return;
    case BinaryCode.sub:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] - y[k];
      return;
    case BinaryCode.mul:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] * y[k];
      return;
    case BinaryCode.mulInt32:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = Math.imul(x[i], y[k]);
      return;
    case BinaryCode.div:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] / y[k];
      return;
    case BinaryCode.pow:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = Math.pow(x[i], y[k]);
      return;
    case BinaryCode.maximum:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = Math.max(x[i], y[k]);
      return;
    case BinaryCode.minimum:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = Math.min(x[i], y[k]);
      return;
    case BinaryCode.equal:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] === y[k] ? 1 : 0;
      return;
    case BinaryCode.notEqual:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] !== y[k] ? 1 : 0;
      return;
    case BinaryCode.greater:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] > y[k] ? 1 : 0;
      return;
    case BinaryCode.greaterEqual:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] >= y[k] ? 1 : 0;
      return;
    case BinaryCode.less:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] < y[k] ? 1 : 0;
      return;
    case BinaryCode.lessEqual:
      for (let j = 0; j < length; j++, i += xStride, k += yStride, o += outStride) out[o] = x[i] <= y[k] ? 1 : 0;
      return;
  }
}
