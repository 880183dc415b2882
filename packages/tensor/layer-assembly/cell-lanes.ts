// Helpers of the recurrent cell kernels (lstm-cell.ts, gru-cell.ts): σ, 1 − a², and loads and
// stores of the first 1 to 4 lanes, so a row's last hidden % 4 units run the same vector code.

import { exp4 } from './lanes';

/**
 * σ(x) = 1/(1 + e^−x) as (x ≥ 0 ? 1 : e)/(1 + e) with e = e^−|x| ≤ 1: never overflows, a few
 * ulps of relative error on both sides, exactly 1 from x ≈ 17 (1 + e rounds to 1) and exactly 0
 * below −87.3 (where exp4 gives 0); NaN stays NaN.
 */
export function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const numerator = v128.bitselect(f32x4.splat(1), e, f32x4.ge(x, f32x4.splat(0)));
  return f32x4.div(numerator, f32x4.add(f32x4.splat(1), e));
}

/** (1 − a)(1 + a): 1 − a² without the cancellation of 1 − a·a near |a| = 1 (1 − a is exact there). */
// @ts-ignore: decorator
@inline export function oneMinusSquare(a: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.mul(f32x4.sub(one, a), f32x4.add(one, a));
}

/** The `count` (1 to 4) floats at `p` in the low lanes, zeros above. */
export function loadLanes(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = v128.load32_lane(p, v, 0);
  if (count > 1) v = v128.load32_lane(p, v, 1, 4);
  if (count > 2) v = v128.load32_lane(p, v, 2, 8);
  return v;
}

/** Stores the low `count` (1 to 4) lanes of `v` at `p`. */
export function storeLanes(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  v128.store32_lane(p, v, 0);
  if (count > 1) v128.store32_lane(p, v, 1, 4);
  if (count > 2) v128.store32_lane(p, v, 2, 8);
}
