// Max pooling over full 2x2 windows with stride 2, the same result as the layers package's
// maxPool2x2 (src/convolution/max-pool-2x2.ts): the window's maximum in row-major order with a
// strict ">" (the first maximum wins a tie, so of +0 and −0 the first is kept), NaN compared as
// −∞ (never winning; a window of NaNs gives −∞ at its first position), and the winning position.

/** `x` with NaN lanes replaced by −∞ (the value a window compares and outputs). */
// @ts-ignore: decorator
@inline function key(x: v128): v128 {
  return v128.bitselect(f32x4.splat(-Infinity), x, f32x4.ne(x, x));
}

/** The scalar {@link key}. */
// @ts-ignore: decorator
@inline function scalarKey(x: f32): f32 {
  return x != x ? -Infinity : x;
}

/**
 * For planes [first, end) of the height × width float planes at `input`, writes the maxima of
 * the outHeight × outWidth windows (rows 2·oh and 2·oh + 1, columns 2·ow and 2·ow + 1;
 * 2·outHeight ≤ height and 2·outWidth ≤ width) to `output` (plane after plane, as from plane 0)
 * and each window's winning position, counted in elements from `input`, to the int32s at
 * `winners`. Four windows of a row at a time: the two input rows' eight values split into even
 * and odd columns by two shuffles each.
 */
export function maxPool2x2F32(input: usize, output: usize, winners: usize, first: i32, end: i32, height: i32, width: i32, outHeight: i32, outWidth: i32): void {
  const quads = outWidth & ~3;
  const lanes = i32x4(0, 2, 4, 6);
  const down = i32x4.splat(width);
  const one = i32x4.splat(1);
  let out = <usize>(first * outHeight * outWidth) << 2;
  for (let plane = first; plane < end; plane++) {
    for (let row = 0; row < outHeight; row++) {
      const top = plane * height * width + 2 * row * width;
      let column = 0;
      for (; column < quads; column += 4, out += 16) {
        const position = top + 2 * column;
        const upper = input + (<usize>position << 2);
        const lower = upper + (<usize>width << 2);
        const a = v128.load(upper), b = v128.load(upper, 16), c = v128.load(lower), d = v128.load(lower, 16);
        const topLeft = key(v128.shuffle<f32>(a, b, 0, 2, 4, 6)), topRight = key(v128.shuffle<f32>(a, b, 1, 3, 5, 7));
        const bottomLeft = key(v128.shuffle<f32>(c, d, 0, 2, 4, 6)), bottomRight = key(v128.shuffle<f32>(c, d, 1, 3, 5, 7));
        const left = i32x4.add(i32x4.splat(position), lanes);
        // The better of each row (right only when strictly larger), then the better row (bottom only when strictly larger).
        const topRightWins = f32x4.gt(topRight, topLeft), bottomRightWins = f32x4.gt(bottomRight, bottomLeft);
        const topBest = v128.bitselect(topRight, topLeft, topRightWins);
        const bottomBest = v128.bitselect(bottomRight, bottomLeft, bottomRightWins);
        const topWinner = v128.bitselect(i32x4.add(left, one), left, topRightWins);
        const bottomWinner = v128.bitselect(i32x4.add(i32x4.add(left, down), one), i32x4.add(left, down), bottomRightWins);
        const bottomWins = f32x4.gt(bottomBest, topBest);
        v128.store(output + out, v128.bitselect(bottomBest, topBest, bottomWins));
        v128.store(winners + out, v128.bitselect(bottomWinner, topWinner, bottomWins));
      }
      for (; column < outWidth; column++, out += 4) {
        const position = top + 2 * column;
        const at = input + (<usize>position << 2);
        const upper = position + <i32>(scalarKey(load<f32>(at, 4)) > scalarKey(load<f32>(at)));
        const lower = position + width + <i32>(scalarKey(load<f32>(at + (<usize>width << 2), 4)) > scalarKey(load<f32>(at + (<usize>width << 2))));
        const upperKey = scalarKey(load<f32>(input + (<usize>upper << 2)));
        const lowerKey = scalarKey(load<f32>(input + (<usize>lower << 2)));
        const winner = lowerKey > upperKey ? lower : upper;
        store<f32>(output + out, lowerKey > upperKey ? lowerKey : upperKey);
        store<i32>(winners + out, winner);
      }
    }
  }
}

/**
 * The gradient of {@link maxPool2x2F32} for planes [first, end): every element of those planes
 * of `inputGradient` is written, the window's output gradient at its winner (plus 0, so a −0
 * lands as +0, as 0 + dy does) and +0 everywhere else, including an odd last row or column that
 * no window covers. So no zero fill is needed first, and each element is written once.
 */
export function maxUnpool2x2F32(outputGradient: usize, winners: usize, inputGradient: usize, first: i32, end: i32, height: i32, width: i32, outHeight: i32, outWidth: i32): void {
  const quads = outWidth & ~3;
  const lanes = i32x4(0, 2, 4, 6);
  const one = i32x4.splat(1);
  const down = i32x4.splat(width);
  const zero = f32x4.splat(0);
  let out = <usize>(first * outHeight * outWidth) << 2;
  for (let plane = first; plane < end; plane++) {
    const planeStart = plane * height * width;
    for (let row = 0; row < outHeight; row++) {
      const top = planeStart + 2 * row * width;
      const upper = inputGradient + (<usize>top << 2);
      const lower = upper + (<usize>width << 2);
      let column = 0;
      for (; column < quads; column += 4, out += 16) {
        const gradient = f32x4.add(v128.load(outputGradient + out), zero);
        const winner = v128.load(winners + out);
        const left = i32x4.add(i32x4.splat(top + 2 * column), lanes);
        const below = i32x4.add(left, down);
        const topLeft = v128.and(gradient, i32x4.eq(winner, left));
        const topRight = v128.and(gradient, i32x4.eq(winner, i32x4.add(left, one)));
        const bottomLeft = v128.and(gradient, i32x4.eq(winner, below));
        const bottomRight = v128.and(gradient, i32x4.eq(winner, i32x4.add(below, one)));
        const at = <usize>(2 * column) << 2;
        v128.store(upper + at, v128.shuffle<f32>(topLeft, topRight, 0, 4, 1, 5));
        v128.store(upper + at, v128.shuffle<f32>(topLeft, topRight, 2, 6, 3, 7), 16);
        v128.store(lower + at, v128.shuffle<f32>(bottomLeft, bottomRight, 0, 4, 1, 5));
        v128.store(lower + at, v128.shuffle<f32>(bottomLeft, bottomRight, 2, 6, 3, 7), 16);
      }
      for (; column < outWidth; column++, out += 4) {
        const gradient = load<f32>(outputGradient + out) + 0;
        const winner = load<i32>(winners + out);
        const position = top + 2 * column;
        const at = <usize>(2 * column) << 2;
        store<f32>(upper + at, winner == position ? gradient : 0);
        store<f32>(upper + at, winner == position + 1 ? gradient : 0, 4);
        store<f32>(lower + at, winner == position + width ? gradient : 0);
        store<f32>(lower + at, winner == position + width + 1 ? gradient : 0, 4);
      }
      // An odd last column lies in no window.
      for (let x = 2 * outWidth; x < width; x++) {
        store<f32>(upper + (<usize>x << 2), 0);
        store<f32>(lower + (<usize>x << 2), 0);
      }
    }
    // Nor does an odd last row (or every row past the windows).
    const rest = inputGradient + (<usize>(planeStart + 2 * outHeight * width) << 2);
    for (let index = 0; index < (height - 2 * outHeight) * width; index++) store<f32>(rest + (<usize>index << 2), 0);
  }
}
