// tanh in float32 as Eigen computes it: the rational p(u)/q(u) (degrees 13 and 6) inside ±7.905
// and ±1 beyond (1 − tanh 7.905 = 2.7e-7, a few float32 ulps); relative error a few ulps
// everywhere (so tanh of a tiny u is u, unlike 1 − 2/(e^2u + 1)); NaN fails the comparison and
// stays NaN. Plain multiplies and adds only (no fused multiply-add), so every variant rounds alike.
// Shared by the GELU (gelu-tanh.ts) and LSTM cell (lstm-cell.ts) kernels.

import { add, mul, splat } from './lanes';

const clamp: f32 = 7.90531110763549805;
const p1: f32 = 4.89352455891786e-3;
const p3: f32 = 6.37261928875436e-4;
const p5: f32 = 1.48572235717979e-5;
const p7: f32 = 5.12229709037114e-8;
const p9: f32 = -8.60467152213735e-11;
const p11: f32 = 2.00018790482477e-13;
const p13: f32 = -2.76076847742355e-16;
const q0: f32 = 4.89352518554385e-3;
const q2: f32 = 2.2684346324390e-3;
const q4: f32 = 1.18534705686654e-4;
const q6: f32 = 1.19825839466702e-6;

/** tanh of four lanes (see the file comment), NaN kept. */
// @ts-ignore: decorator
@inline export function tanh4(u: v128): v128 {
  const u2 = mul(u, u);
  const u4 = mul(u2, u2);
  const low = add(splat(p1), mul(splat(p3), u2));
  const middle = mul(u4, add(splat(p5), mul(splat(p7), u2)));
  const high = mul(mul(u4, u4), add(add(splat(p9), mul(splat(p11), u2)), mul(u4, splat(p13))));
  const numerator = mul(u, add(add(low, middle), high));
  const denominator = add(add(splat(q0), mul(splat(q2), u2)), mul(u4, add(splat(q4), mul(splat(q6), u2))));
  const ratio = f32x4.div(numerator, denominator);
  const saturated = f32x4.ge(f32x4.abs(u), splat(clamp));
  const signedOne = v128.or(v128.and(u, i32x4.splat(0x80000000)), splat(1));
  return v128.bitselect(signedOne, ratio, saturated);
}

/** The same for one value, with the same operations in the same order. */
export function tanh1(u: f32): f32 {
  const u2 = u * u;
  const u4 = u2 * u2;
  const low = p1 + p3 * u2;
  const middle = u4 * (p5 + p7 * u2);
  const high = u4 * u4 * (p9 + p11 * u2 + u4 * p13);
  const numerator = u * (low + middle + high);
  const denominator = q0 + q2 * u2 + u4 * (q4 + q6 * u2);
  if (Mathf.abs(u) >= clamp) return copysign<f32>(1, u);
  return numerator / denominator;
}
