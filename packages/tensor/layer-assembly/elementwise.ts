// Elementwise passes over float32 arrays, four lanes at a time, then a scalar tail.

/** out[i] = a[i] + b[i] for i < n (out may be a or b). */
export function addF32(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.add(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(a + at) + load<f32>(b + at));
  }
}

/** out[i] = a[i] · b[i] for i < n (out may be a or b). */
export function multiplyF32(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    v128.store(out + at, f32x4.mul(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(a + at) * load<f32>(b + at));
  }
}

/**
 * out[j] = Σ_r x[r·stride + j] over `rows` rows, for `columns` (≤ `stride`) a multiple of 4 and
 * at least 8 (a column range of a wider matrix when `stride` > `columns`, which is how the kernel
 * threads share one pass: each sums its own columns with the same code, so the same bits):
 * every column summed in float64, row after row (the same order as a plain loop), rounded once
 * to float32. Eight columns at a time (half a 64-byte line of each row, in four f64x2
 * accumulators) walking down the rows; when `columns` is not a multiple of 8 the last block
 * starts 8 columns before the end and rewrites four columns already summed, with the same bits.
 * Measured on a [768, 512] gradient: 135 µs four columns at a time (every line read four times),
 * 85 µs eight at a time, 69 µs sixteen at a time (which does not fit the module's 4 KiB), 470 µs
 * for the TypeScript loop.
 */
export function columnSumsF32(x: usize, out: usize, rows: i32, columns: i32, stride: i32): void {
  const rowBytes = <usize>stride << 2;
  for (let j = 0; j < columns; j += 8) {
    if (j + 8 > columns) j = columns - 8;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    let input = x + (<usize>j << 2);
    for (let row = 0; row < rows; row++, input += rowBytes) {
      const v0 = v128.load(input);
      const v1 = v128.load(input, 16);
      s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
      s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
      s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
      s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
    }
    const target = out + (<usize>j << 2);
    storeFour(target, s0, s1);
    storeFour(target + 16, s2, s3);
  }
}

/** Stores four float64 sums (columns 0-1 in `low`, 2-3 in `high`) rounded to float32 at `at`. */
function storeFour(at: usize, low: v128, high: v128): void {
  const lowHalf = f32x4.demote_f64x2_zero(low);
  const highHalf = f32x4.demote_f64x2_zero(high);
  v128.store(at, v128.shuffle<f32>(lowHalf, highHalf, 0, 1, 4, 5));
}
