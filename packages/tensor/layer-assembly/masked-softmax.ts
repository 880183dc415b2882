import { exp4, laneMax, laneSum } from './lanes';

// Attention's masked softmax over rows of `keys` float32 scores (`keys` a multiple of 4), row r
// being query r mod `queries`: with `causal`, query i sees keys j ≤ i + keys − queries (at least
// one: the caller ensures keys ≥ queries), else every key. Lanes past the visible keys are masked
// inside the last vector; whole vectors past them are written as zeros.

/** 0 in lanes whose key index (column + lane) is ≥ visible, all ones elsewhere. */
// @ts-ignore: decorator
@inline function visibleLanes(column: i32, visible: i32): v128 {
  return i32x4.lt_s(i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(column)), i32x4.splat(visible));
}

// @ts-ignore: decorator
@inline function visibleKeys(row: i32, queries: i32, keys: i32, causal: i32): i32 {
  return causal != 0 ? min<i32>(keys, (row % queries) + keys - queries + 1) : keys;
}

/**
 * In place: every row becomes softmax(scale · row) over its visible keys, 0 at the others:
 * p_j = e^(s·x_j − m) / Σ_k e^(s·x_k − m), m = max_k s·x_k (so every exponent is ≤ 0). Sums in
 * float32 lanes.
 */
export function maskedSoftmaxF32(values: usize, rows: i32, queries: i32, keys: i32, causal: i32, scale: f32): void {
  const factor = f32x4.splat(scale);
  const negativeInfinity = f32x4.splat(-Infinity);
  for (let row = 0; row < rows; row++) {
    const base = values + ((<usize>row * <usize>keys) << 2);
    const visible = visibleKeys(row, queries, keys, causal);
    const end = (visible + 3) & ~3;
    let largest = negativeInfinity;
    for (let column = 0; column < end; column += 4) {
      const scaled = f32x4.mul(v128.load(base + (<usize>column << 2)), factor);
      largest = f32x4.max(largest, v128.bitselect(scaled, negativeInfinity, visibleLanes(column, visible)));
    }
    const maximum = f32x4.splat(laneMax(largest));
    let total = f32x4.splat(0);
    for (let column = 0; column < end; column += 4) {
      const address = base + (<usize>column << 2);
      const shifted = f32x4.sub(f32x4.mul(v128.load(address), factor), maximum);
      const exponential = v128.and(exp4(shifted), visibleLanes(column, visible));
      v128.store(address, exponential);
      total = f32x4.add(total, exponential);
    }
    const inverse = f32x4.splat(<f32>1 / laneSum(total));
    for (let column = 0; column < end; column += 4) {
      const address = base + (<usize>column << 2);
      v128.store(address, f32x4.mul(v128.load(address), inverse));
    }
    for (let column = end; column < keys; column += 4) v128.store(base + (<usize>column << 2), f32x4.splat(0));
  }
}

/**
 * In place over `gradient` (∂L/∂p, the same layout as `probabilities`): ∂L/∂x = s · p ⊙ (∂L/∂p − Σ_k p_k ∂L/∂p_k)
 * per row over the visible keys, 0 at the others.
 */
export function maskedSoftmaxBackwardF32(
  probabilities: usize,
  gradient: usize,
  rows: i32,
  queries: i32,
  keys: i32,
  causal: i32,
  scale: f32,
): void {
  const factor = f32x4.splat(scale);
  for (let row = 0; row < rows; row++) {
    const offset = (<usize>row * <usize>keys) << 2;
    const visible = visibleKeys(row, queries, keys, causal);
    const end = (visible + 3) & ~3;
    let dots = f32x4.splat(0);
    for (let column = 0; column < end; column += 4) {
      const at = offset + (<usize>column << 2);
      const products = f32x4.mul(v128.load(probabilities + at), v128.load(gradient + at));
      dots = f32x4.add(dots, v128.and(products, visibleLanes(column, visible)));
    }
    const dot = f32x4.splat(laneSum(dots));
    for (let column = 0; column < end; column += 4) {
      const at = offset + (<usize>column << 2);
      const p = v128.load(probabilities + at);
      const value = f32x4.mul(f32x4.mul(factor, p), f32x4.sub(v128.load(gradient + at), dot));
      v128.store(gradient + at, v128.and(value, visibleLanes(column, visible)));
    }
    for (let column = end; column < keys; column += 4) v128.store(gradient + offset + (<usize>column << 2), f32x4.splat(0));
  }
}
