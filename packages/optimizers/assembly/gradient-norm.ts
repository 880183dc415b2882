// The kernels of clipGradNorm (src/gradients/clip-grad-norm.ts): the sum of squares of a float32
// gradient in a fixed order, its largest magnitude, and the scaling of a gradient in place. The
// TypeScript in src/gradients/norm-reductions.ts is the reference and gives the same bits.
//
// The order of the sum (documented at `sumOfSquaresInBlocks` in the TypeScript): a gradient is cut
// into blocks of `blockElements` elements from its first element; within a block element i goes
// into lane i mod 8, each lane a float64 sum in element order starting from 0; the lanes combine
// as ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7)); the block sums are added to the running
// total in block order. Squares of float32 values are exact in float64, so only these additions
// round, and the order depends neither on the backend nor on the thread count.

/** Elements per block of the sum of squares (a multiple of 8); `normBlockElements` in TypeScript. */
const blockElements: i32 = 4096;

/** `x²` in float64 of the float32 at `address`: exact (24-bit significands, 48-bit product). */
// @ts-ignore: decorator
@inline function square(address: usize): f64 {
  const x = <f64>load<f32>(address);
  return x * x;
}

/**
 * The sum of squares of the `length` (at most `blockElements`) float32s at `start`, in the block
 * order above. Eight elements per step: two four-wide loads, widened to four pairs of float64
 * lanes (0 1, 2 3, 4 5, 6 7); the last 1 to 7 elements go to lanes 0 to 6 one by one.
 */
// @ts-ignore: decorator
@inline function blockSumOfSquares(start: usize, length: i32): f64 {
  let lanes01 = f64x2.splat(0), lanes23 = f64x2.splat(0), lanes45 = f64x2.splat(0), lanes67 = f64x2.splat(0);
  const end = length & ~7;
  let i = 0;
  for (; i < end; i += 8) {
    const at = start + (<usize>i << 2);
    const low = v128.load(at);
    const high = v128.load(at, 16);
    const x01 = f64x2.promote_low_f32x4(low);
    const x23 = f64x2.promote_low_f32x4(v128.shuffle<f32>(low, low, 2, 3, 2, 3));
    const x45 = f64x2.promote_low_f32x4(high);
    const x67 = f64x2.promote_low_f32x4(v128.shuffle<f32>(high, high, 2, 3, 2, 3));
    lanes01 = f64x2.add(lanes01, f64x2.mul(x01, x01));
    lanes23 = f64x2.add(lanes23, f64x2.mul(x23, x23));
    lanes45 = f64x2.add(lanes45, f64x2.mul(x45, x45));
    lanes67 = f64x2.add(lanes67, f64x2.mul(x67, x67));
  }
  let s0 = f64x2.extract_lane(lanes01, 0), s1 = f64x2.extract_lane(lanes01, 1);
  let s2 = f64x2.extract_lane(lanes23, 0), s3 = f64x2.extract_lane(lanes23, 1);
  let s4 = f64x2.extract_lane(lanes45, 0), s5 = f64x2.extract_lane(lanes45, 1);
  let s6 = f64x2.extract_lane(lanes67, 0);
  const s7 = f64x2.extract_lane(lanes67, 1);
  const rest = length - i;
  const at = start + (<usize>i << 2);
  if (rest > 0) s0 += square(at);
  if (rest > 1) s1 += square(at + 4);
  if (rest > 2) s2 += square(at + 8);
  if (rest > 3) s3 += square(at + 12);
  if (rest > 4) s4 += square(at + 16);
  if (rest > 5) s5 += square(at + 20);
  if (rest > 6) s6 += square(at + 24);
  return (s0 + s2 + (s4 + s6)) + (s1 + s3 + (s5 + s7));
}

/**
 * `total` plus the sum of squares of the `length` float32s at `gradient`, the blocks added in
 * order (see the order above). A range that starts at a block of a longer gradient gives the same
 * block sums, so a gradient split across threads in whole blocks would sum to the same bits.
 */
export function sumOfSquares(gradient: usize, length: i32, total: f64): f64 {
  for (let start = 0; start < length; start += blockElements)
    total += blockSumOfSquares(gradient + (<usize>start << 2), min(blockElements, length - start));
  return total;
}

/**
 * The larger of `current` and the largest magnitude of the `length` float32s at `gradient`; NaN
 * when either holds NaN. A maximum is exact in any order. The magnitudes are compared as integers:
 * the bits of a float32 without its sign order as its magnitude does, and every NaN's bits lie
 * above infinity's, so the largest bits are NaN whenever one is there. One `i32x4.max_s` per four
 * elements, where `f32x4.max` is a sequence of seven instructions on x86 (NaN and ±0 fix-ups):
 * 0.063 ms against 0.45 ms over the baby GPT's 812k gradient elements (52 arrays, in cache).
 */
export function maxMagnitude(gradient: usize, length: i32, current: f64): f64 {
  const magnitude = i32x4.splat(0x7fffffff);
  let largest0 = i32x4.splat(0), largest1 = i32x4.splat(0);
  const end = length & ~7;
  let i = 0;
  for (; i < end; i += 8) {
    const at = gradient + (<usize>i << 2);
    largest0 = i32x4.max_s(largest0, v128.and(v128.load(at), magnitude));
    largest1 = i32x4.max_s(largest1, v128.and(v128.load(at, 16), magnitude));
  }
  const both = i32x4.max_s(largest0, largest1);
  let largest = max<i32>(max<i32>(i32x4.extract_lane(both, 0), i32x4.extract_lane(both, 1)), max<i32>(i32x4.extract_lane(both, 2), i32x4.extract_lane(both, 3)));
  for (; i < length; i++) largest = max<i32>(largest, load<i32>(gradient + (<usize>i << 2)) & 0x7fffffff);
  return max<f64>(current, <f64>reinterpret<f32>(largest));
}

/**
 * Multiplies the `length` float32s at `gradient` by `coefficient` in place as TypeScript's
 * `gradient[i] *= coefficient` does: the float32 widened, multiplied in float64, rounded to float32
 * (a float32 product with a rounded coefficient would differ in the last bit now and then).
 */
export function scale(gradient: usize, length: i32, coefficient: f64): void {
  const factor = f64x2.splat(coefficient);
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const at = gradient + (<usize>i << 2);
    const g = v128.load(at);
    const low = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(g), factor));
    const high = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 2, 3)), factor));
    v128.store(at, v128.shuffle<i64>(low, high, 0, 2));
  }
  for (; i < length; i++) {
    const at = gradient + (<usize>i << 2);
    store<f32>(at, <f32>(<f64>load<f32>(at) * coefficient));
  }
}
