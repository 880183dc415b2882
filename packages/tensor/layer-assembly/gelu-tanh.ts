// The tanh GELU of GPT-2 in float32, four lanes at a time:
//   u = √(2/π)·x + √(2/π)·0.044715·x³, t = tanh u, y = ½x + ½x·t,
//   dy/dx = ½ + ½t + ½x·(1 − t²)·(√(2/π) + 3·√(2/π)·0.044715·x²).
// tanh is Eigen's float32 rational (tanh-rational.ts). Plain multiplies and adds only (no fused
// multiply-add), so every variant and the scalar tail round alike.

import { add, mul, splat } from './lanes';
import { tanh1, tanh4 } from './tanh-rational';

const sqrtTwoOverPi: f32 = 0.7978845608028654;
const cubicTerm: f32 = 0.035677408136300125; // √(2/π)·0.044715
const cubicSlope: f32 = 0.10703222440890037; // 3·√(2/π)·0.044715

/**
 * y[i] = GELU_tanh(x[i]) for i < n and, when `slope` is not 0, slope[i] = dy/dx at x[i]. `x`, `y`
 * and `slope` are byte addresses of float32 arrays (any alignment; `y` may equal `x`).
 */
export function geluTanhF32(x: usize, y: usize, slope: usize, n: i32): void {
  const half = splat(0.5);
  const one = splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const offset = (<usize>i) << 2;
    const v = v128.load(x + offset);
    const v2 = mul(v, v);
    const u = add(mul(splat(sqrtTwoOverPi), v), mul(mul(splat(cubicTerm), v2), v));
    const t = tanh4(u);
    const h = mul(half, v);
    v128.store(y + offset, add(h, mul(h, t)));
    if (slope != 0) {
      const curve = mul(mul(h, f32x4.sub(one, mul(t, t))), add(splat(sqrtTwoOverPi), mul(splat(cubicSlope), v2)));
      v128.store(slope + offset, add(add(half, mul(half, t)), curve));
    }
  }
  for (; i < n; i++) {
    const offset = (<usize>i) << 2;
    const v = load<f32>(x + offset);
    const v2 = v * v;
    const t = tanh1(sqrtTwoOverPi * v + cubicTerm * v2 * v);
    const h: f32 = 0.5 * v;
    store<f32>(y + offset, h + h * t);
    if (slope != 0) store<f32>(slope + offset, <f32>0.5 + <f32>0.5 * t + h * (1 - t * t) * (sqrtTwoOverPi + cubicSlope * v2));
  }
}
