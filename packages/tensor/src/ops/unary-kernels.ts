import type { TypedArray } from '../dtype.js';

/** Codes of the elementwise unary ops (see {@link unaryStrided}). */
export const UnaryCode = {
  neg: 0,
  abs: 1,
  exp: 2,
  log: 3,
  log1p: 4,
  sqrt: 5,
  square: 6,
  squareInt32: 7,
  reciprocal: 8,
  sign: 9,
  tanh: 10,
  sigmoid: 11,
  relu: 12,
  clip: 13,
  copy: 14,
} as const;

/** One of {@link UnaryCode}'s values. */
export type UnaryCode = (typeof UnaryCode)[keyof typeof UnaryCode];

/**
 * Numerically stable logistic function: never evaluates exp of a large positive number.
 *
 * @example
 * sigmoidScalar(-1000); // 0, not NaN
 */
export function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * out[o + j·so] = f(x[i + j·sx]) for j < length, switching on the op once per row. `low` and
 * `high` are clip's bounds (ignored by the others).
 *
 * @example
 * unaryStrided(UnaryCode.exp, x.data, x.offset, x.strides[0], out.data, 0, 1, x.shape[0], 0, 0);
 */
export function unaryStrided(
  code: UnaryCode,
  x: TypedArray,
  xIndex: number,
  xStride: number,
  out: TypedArray,
  outIndex: number,
  outStride: number,
  length: number,
  low: number,
  high: number,
): void {
  let i = xIndex;
  let o = outIndex;
  switch (code) {
    case UnaryCode.neg:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = -x[i];
      return;
    case UnaryCode.abs:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.abs(x[i]);
      return;
    case UnaryCode.exp:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.exp(x[i]);
      return;
    case UnaryCode.log:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.log(x[i]);
      return;
    case UnaryCode.log1p:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.log1p(x[i]);
      return;
    case UnaryCode.sqrt:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.sqrt(x[i]);
      return;
    case UnaryCode.square:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = x[i] * x[i];
      return;
    case UnaryCode.squareInt32:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.imul(x[i], x[i]);
      return;
    case UnaryCode.reciprocal:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = 1 / x[i];
      return;
    case UnaryCode.sign:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.sign(x[i]);
      return;
    case UnaryCode.tanh:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.tanh(x[i]);
      return;
    case UnaryCode.sigmoid:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = sigmoidScalar(x[i]);
      return;
    case UnaryCode.relu:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = x[i] < 0 ? 0 : x[i];
      return;
    case UnaryCode.clip:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = Math.min(Math.max(x[i], low), high);
      return;
    case UnaryCode.copy:
      for (let j = 0; j < length; j++, i += xStride, o += outStride) out[o] = x[i];
      return;
  }
}

/**
 * The contiguous fast path: out[o + j] = f(x[i + j]), a bare loop for the hottest ops.
 *
 * @example
 * unaryContiguous(UnaryCode.relu, x.data, 0, out.data, 0, x.size, 0, 0);
 */
export function unaryContiguous(
  code: UnaryCode,
  x: TypedArray,
  xStart: number,
  out: TypedArray,
  outStart: number,
  length: number,
  low: number,
  high: number,
): void {
  if (
    x instanceof Float32Array &&
    out instanceof Float32Array &&
    unaryContiguousFloat32(code, x, xStart, out, outStart, length)
  )
    return;
  const shift = xStart - outStart;
  const end = outStart + length;
  switch (code) {
    case UnaryCode.relu:
      for (let o = outStart; o < end; o++) {
        const value = x[o + shift];
        out[o] = value < 0 ? 0 : value;
      }
      return;
    case UnaryCode.neg:
      for (let o = outStart; o < end; o++) out[o] = -x[o + shift];
      return;
    case UnaryCode.exp:
      for (let o = outStart; o < end; o++) out[o] = Math.exp(x[o + shift]);
      return;
    case UnaryCode.square:
      for (let o = outStart; o < end; o++) {
        const value = x[o + shift];
        out[o] = value * value;
      }
      return;
    default:
      unaryStrided(code, x, xStart, 1, out, outStart, 1, length, low, high);
  }
}

/**
 * The hottest loops again for float32 in and out, in their own function so V8's type feedback
 * there stays monomorphic (shared loops slow down about 2x once other dtypes have used them).
 * Returns false for ops it lacks.
 */
function unaryContiguousFloat32(
  code: UnaryCode,
  x: Float32Array,
  xStart: number,
  out: Float32Array,
  outStart: number,
  length: number,
): boolean {
  const shift = xStart - outStart;
  const end = outStart + length;
  switch (code) {
    case UnaryCode.relu:
      for (let o = outStart; o < end; o++) {
        const value = x[o + shift];
        out[o] = value < 0 ? 0 : value;
      }
      return true;
    case UnaryCode.neg:
      for (let o = outStart; o < end; o++) out[o] = -x[o + shift];
      return true;
    case UnaryCode.exp:
      for (let o = outStart; o < end; o++) out[o] = Math.exp(x[o + shift]);
      return true;
    case UnaryCode.square:
      for (let o = outStart; o < end; o++) {
        const value = x[o + shift];
        out[o] = value * value;
      }
      return true;
    case UnaryCode.sigmoid:
      for (let o = outStart; o < end; o++) out[o] = sigmoidScalar(x[o + shift]);
      return true;
    case UnaryCode.tanh:
      for (let o = outStart; o < end; o++) out[o] = Math.tanh(x[o + shift]);
      return true;
    default:
      return false;
  }
}
