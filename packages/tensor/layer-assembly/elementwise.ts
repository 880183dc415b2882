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
 * out[j] = Σ_r x[r·columns + j] over `rows` rows, for `columns` a multiple of 4: every column
 * summed in float64, row after row (the same order as a plain loop), rounded once to float32.
 * Four columns at a time, in two f64x2 accumulators, walking down the rows.
 */
export function columnSumsF32(x: usize, out: usize, rows: i32, columns: i32): void {
  const rowBytes = <usize>columns << 2;
  for (let j = 0; j < columns; j += 4) {
    let low = f64x2.splat(0);
    let high = f64x2.splat(0);
    let input = x + (<usize>j << 2);
    for (let row = 0; row < rows; row++, input += rowBytes) {
      const values = v128.load(input);
      low = f64x2.add(low, f64x2.promote_low_f32x4(values));
      high = f64x2.add(high, f64x2.promote_low_f32x4(v128.shuffle<f32>(values, values, 2, 3, 0, 1)));
    }
    const lowHalf = f32x4.demote_f64x2_zero(low);
    const highHalf = f32x4.demote_f64x2_zero(high);
    v128.store(out + (<usize>j << 2), v128.shuffle<f32>(lowHalf, highHalf, 0, 1, 4, 5));
  }
}
