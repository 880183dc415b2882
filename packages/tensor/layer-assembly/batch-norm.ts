// BatchNorm's passes over float32 [N, C, inner] data in the kernels' memory, with the
// per-channel statistics in float64 arrays (byte addresses of C doubles). Every value is computed
// in float64 with the same operations as the TypeScript loops of @annet/layers' BatchNorm, so
// the elementwise passes give the same bits; the sums run in two float64 lanes (pairs of
// elements), so they may differ from the one-lane TypeScript sums in the last float64 bits.

// @ts-ignore: decorator
@inline function rowSum(row: usize, inner: i32, center: f64): f64 {
  const mean = f64x2.splat(center);
  let even = f64x2.splat(0);
  let odd = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= inner; i += 4) {
    const values = v128.load(row + (<usize>i << 2));
    even = f64x2.add(even, f64x2.sub(f64x2.promote_low_f32x4(values), mean));
    odd = f64x2.add(odd, f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(values, values, 2, 3, 0, 1)), mean));
  }
  const lanes = f64x2.add(even, odd);
  let sum = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; i < inner; i++) sum += <f64>load<f32>(row + (<usize>i << 2)) - center;
  return sum;
}

// @ts-ignore: decorator
@inline function rowSquares(row: usize, inner: i32, center: f64): f64 {
  const mean = f64x2.splat(center);
  let even = f64x2.splat(0);
  let odd = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= inner; i += 4) {
    const values = v128.load(row + (<usize>i << 2));
    const low = f64x2.sub(f64x2.promote_low_f32x4(values), mean);
    const high = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(values, values, 2, 3, 0, 1)), mean);
    even = f64x2.add(even, f64x2.mul(low, low));
    odd = f64x2.add(odd, f64x2.mul(high, high));
  }
  const lanes = f64x2.add(even, odd);
  let sum = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; i < inner; i++) {
    const deviation = <f64>load<f32>(row + (<usize>i << 2)) - center;
    sum += deviation * deviation;
  }
  return sum;
}

/**
 * sums[c] = Σ_{n,i} x[n, c, i] when `squares` is 0, else Σ_{n,i} (x[n, c, i] − mean[c])²
 * (overwriting `sums`) for the channels c in [first, end) (0 and `channels` for all: kernel
 * threads take disjoint ranges, each channel summed in the same order); `mean` is read only for squares.
 */
export function channelSumsF32(x: usize, sums: usize, mean: usize, batch: i32, channels: i32, inner: i32, squares: i32, first: i32, end: i32): void {
  for (let c = first; c < end; c++) store<f64>(sums + (<usize>c << 3), 0);
  for (let n = 0; n < batch; n++) {
    for (let c = first; c < end; c++) {
      const row = x + (<usize>((n * channels + c) * inner) << 2);
      const at = sums + (<usize>c << 3);
      const sum = squares != 0 ? rowSquares(row, inner, load<f64>(mean + (<usize>c << 3))) : rowSum(row, inner, 0);
      store<f64>(at, load<f64>(at) + sum);
    }
  }
}

/** y[n, c, i] = (x[n, c, i] − mean[c])·scale[c] + shift[c], in float64, rounded once. */
export function batchNormNormalizeF32(x: usize, y: usize, mean: usize, scale: usize, shift: usize, batch: i32, channels: i32, inner: i32): void {
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const offset = <usize>((n * channels + c) * inner) << 2;
      const input = x + offset;
      const output = y + offset;
      const mu = load<f64>(mean + (<usize>c << 3));
      const factor = load<f64>(scale + (<usize>c << 3));
      const add = load<f64>(shift + (<usize>c << 3));
      const muLanes = f64x2.splat(mu);
      const factorLanes = f64x2.splat(factor);
      const addLanes = f64x2.splat(add);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const values = v128.load(input + (<usize>i << 2));
        const low = f64x2.add(f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(values), muLanes), factorLanes), addLanes);
        const high = f64x2.add(
          f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(values, values, 2, 3, 0, 1)), muLanes), factorLanes),
          addLanes,
        );
        const lowHalf = f32x4.demote_f64x2_zero(low);
        const highHalf = f32x4.demote_f64x2_zero(high);
        v128.store(output + (<usize>i << 2), v128.shuffle<f32>(lowHalf, highHalf, 0, 1, 4, 5));
      }
      for (; i < inner; i++) {
        const at = <usize>i << 2;
        store<f32>(output + at, <f32>((<f64>load<f32>(input + at) - mu) * factor + add));
      }
    }
  }
}

/**
 * The backward sums, overwriting: sumGradient[c] = Σ dy, sumGradientNormalized[c] = Σ dy·(x − mean[c])·inverseDeviation[c].
 */
export function batchNormGradientSumsF32(
  x: usize, dy: usize, mean: usize, inverseDeviation: usize, sumGradient: usize, sumGradientNormalized: usize,
  batch: i32, channels: i32, inner: i32,
): void {
  for (let c = 0; c < channels; c++) {
    store<f64>(sumGradient + (<usize>c << 3), 0);
    store<f64>(sumGradientNormalized + (<usize>c << 3), 0);
  }
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const offset = <usize>((n * channels + c) * inner) << 2;
      const input = x + offset;
      const gradient = dy + offset;
      const mu = load<f64>(mean + (<usize>c << 3));
      const scale = load<f64>(inverseDeviation + (<usize>c << 3));
      const muLanes = f64x2.splat(mu);
      const scaleLanes = f64x2.splat(scale);
      let sums = f64x2.splat(0);
      let normalizedSums = f64x2.splat(0);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const at = <usize>i << 2;
        const values = v128.load(input + at);
        const gradients = v128.load(gradient + at);
        const gradientLow = f64x2.promote_low_f32x4(gradients);
        const gradientHigh = f64x2.promote_low_f32x4(v128.shuffle<f32>(gradients, gradients, 2, 3, 0, 1));
        const low = f64x2.sub(f64x2.promote_low_f32x4(values), muLanes);
        const high = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(values, values, 2, 3, 0, 1)), muLanes);
        sums = f64x2.add(sums, f64x2.add(gradientLow, gradientHigh));
        normalizedSums = f64x2.add(
          normalizedSums,
          f64x2.add(f64x2.mul(f64x2.mul(gradientLow, low), scaleLanes), f64x2.mul(f64x2.mul(gradientHigh, high), scaleLanes)),
        );
      }
      let sum = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
      let sumNormalized = f64x2.extract_lane(normalizedSums, 0) + f64x2.extract_lane(normalizedSums, 1);
      for (; i < inner; i++) {
        const at = <usize>i << 2;
        const g = <f64>load<f32>(gradient + at);
        sum += g;
        sumNormalized += g * (<f64>load<f32>(input + at) - mu) * scale;
      }
      const sumAt = sumGradient + (<usize>c << 3);
      const normalizedAt = sumGradientNormalized + (<usize>c << 3);
      store<f64>(sumAt, load<f64>(sumAt) + sum);
      store<f64>(normalizedAt, load<f64>(normalizedAt) + sumNormalized);
    }
  }
}

/**
 * dx[n, c, i] = factor[c]·(dy − meanGradient[c] − (x − mean[c])·inverseDeviation[c]·meanGradientNormalized[c]),
 * in float64, rounded once; the per-channel arrays are C doubles each.
 */
export function batchNormInputGradientF32(
  x: usize, dy: usize, dx: usize, mean: usize, inverseDeviation: usize, factor: usize,
  meanGradient: usize, meanGradientNormalized: usize, batch: i32, channels: i32, inner: i32,
): void {
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const offset = <usize>((n * channels + c) * inner) << 2;
      const channel = <usize>c << 3;
      const mu = load<f64>(mean + channel);
      const scale = load<f64>(inverseDeviation + channel);
      const multiplier = load<f64>(factor + channel);
      const shift = load<f64>(meanGradient + channel);
      const slope = load<f64>(meanGradientNormalized + channel);
      const muLanes = f64x2.splat(mu);
      const scaleLanes = f64x2.splat(scale);
      const multiplierLanes = f64x2.splat(multiplier);
      const shiftLanes = f64x2.splat(shift);
      const slopeLanes = f64x2.splat(slope);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const at = offset + (<usize>i << 2);
        const values = v128.load(x + at);
        const gradients = v128.load(dy + at);
        const normalizedLow = f64x2.mul(f64x2.sub(f64x2.promote_low_f32x4(values), muLanes), scaleLanes);
        const normalizedHigh = f64x2.mul(
          f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(values, values, 2, 3, 0, 1)), muLanes),
          scaleLanes,
        );
        const gradientLow = f64x2.promote_low_f32x4(gradients);
        const gradientHigh = f64x2.promote_low_f32x4(v128.shuffle<f32>(gradients, gradients, 2, 3, 0, 1));
        const low = f64x2.mul(multiplierLanes, f64x2.sub(f64x2.sub(gradientLow, shiftLanes), f64x2.mul(normalizedLow, slopeLanes)));
        const high = f64x2.mul(multiplierLanes, f64x2.sub(f64x2.sub(gradientHigh, shiftLanes), f64x2.mul(normalizedHigh, slopeLanes)));
        v128.store(dx + at, v128.shuffle<f32>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5));
      }
      for (; i < inner; i++) {
        const at = offset + (<usize>i << 2);
        const normalized = (<f64>load<f32>(x + at) - mu) * scale;
        store<f32>(dx + at, <f32>(multiplier * (<f64>load<f32>(dy + at) - shift - normalized * slope)));
      }
    }
  }
}
