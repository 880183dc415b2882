// Small f32x4 helpers shared by the layer kernels.

/** Four lanes of `value`. */
// @ts-ignore: decorator
@inline export function splat(value: f32): v128 {
  return f32x4.splat(value);
}

/** a + b, lane by lane. */
// @ts-ignore: decorator
@inline export function add(a: v128, b: v128): v128 {
  return f32x4.add(a, b);
}

/** a · b, lane by lane. */
// @ts-ignore: decorator
@inline export function mul(a: v128, b: v128): v128 {
  return f32x4.mul(a, b);
}

/** The sum of the four lanes, ((l0 + l1) + (l2 + l3)). */
// @ts-ignore: decorator
@inline export function laneSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** The largest of the four lanes (NaN if any lane is NaN). */
// @ts-ignore: decorator
@inline export function laneMax(v: v128): f32 {
  return max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

const log2e: f32 = 1.44269504088896341;
const ln2High: f32 = 0.693359375;
const ln2Low: f32 = -2.12194440e-4;

/**
 * e^x in four lanes to about 1 float32 ulp (Cephes' expf): x = n·ln 2 + r with n = round(x·log₂e)
 * and |r| ≤ ½ln 2 (ln 2 in two parts, so r is exact), e^r by a degree-7 polynomial, times 2ⁿ
 * built in the exponent bits. x is clamped to at most 88.7 (finite); below −87.3 (where e^x is
 * under the smallest normal float32) the result is 0, so e^−∞ = 0; NaN stays NaN.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const clamped = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.7)), f32x4.splat(-87.3));
  const n = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(log2e)));
  const r = f32x4.sub(f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(ln2High))), f32x4.mul(n, f32x4.splat(ln2Low)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(e, scale), f32x4.lt(x, f32x4.splat(-87.3)));
}
