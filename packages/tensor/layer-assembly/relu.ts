// ReLU forward and backward over float32 arrays, with the exact results of the ReLU layer's TypeScript loops.

/**
 * y = x·[x > 0] + 0 with NaN kept (max(x, 0) where −0 becomes +0 and −∞ becomes 0), as ReLU's
 * TypeScript loop computes it; `y` may be `x`.
 */
export function reluF32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const values = v128.load(x + at);
    const keep = v128.or(f32x4.gt(values, f32x4.splat(0)), f32x4.ne(values, values));
    v128.store(y + at, v128.and(values, keep));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    const value = load<f32>(x + at);
    store<f32>(y + at, value > 0 || value != value ? value : 0);
  }
}

/** dx = dy·[x > 0] + 0 (so +0 for −0 and a NaN where dy is not finite and x ≤ 0), as ReLU's TypeScript loop. */
export function reluBackwardF32(x: usize, dy: usize, dx: usize, n: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const indicator = v128.and(f32x4.gt(v128.load(x + at), zero), one);
    v128.store(dx + at, f32x4.add(f32x4.mul(v128.load(dy + at), indicator), zero));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(dx + at, load<f32>(dy + at) * (load<f32>(x + at) > 0 ? <f32>1 : <f32>0) + <f32>0);
  }
}
