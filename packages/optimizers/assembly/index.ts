// The WebAssembly SIMD kernels of @annet/optimizers: one fused pass per parameter over float32
// arrays that live in an imported memory (the parameters' own; see Parameter.memory in
// @annet/layer-api). Byte addresses come in, nothing is allocated, and the module has no data of
// its own, so instantiating it writes nothing into the memory it imports. Each kernel computes in
// float32, four elements per instruction, with a scalar tail doing the same float32 operations;
// the TypeScript updates in src/optimizers/*.ts are the reference (they compute in float64).
// A step's numbers (learning rate, betas, ...) come in a small float32 block in the same memory,
// at `numbers`, so a call passes only integers and allocates nothing on the JavaScript side.
// Decaying state (moments, momentum buffers, averages) is stored with subnormals flushed to zero
// where that cannot move a parameter: see `smallestNormal` below for why and when.

// @ts-ignore: decorator
@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/**
 * The smallest normal float32, 2^−126. State that decays towards zero (moments, momentum buffers,
 * square averages of a parameter whose gradient stays 0) ends up subnormal, and stays there:
 * 0.9 times the smallest subnormal rounds back to it. x86 runs arithmetic on subnormals through a
 * microcode assist that costs tens of cycles per operand, and WebAssembly cannot turn on the
 * CPU's flush-to-zero mode, so a third of an MLP's Adam moments on MNIST-like data (zero pixels,
 * dead ReLUs) made the update 3-5x slower (0.075 ms → 0.28 ms per step over 109k parameters).
 * The kernels therefore store such state as 0 where that cannot move a parameter beyond float32
 * rounding, as TensorFlow's CPU kernels do with the flush-to-zero mode they set (PyTorch:
 * `torch.set_flush_denormal(True)`):
 * - SGD's momentum buffer b and RMSprop's: the update γ·b changes by less than γ·2^−126.
 * - Adam's m (and NAdam's, RAdam's) when ε ≥ 2^−60: the update (a·g + b·m)/(c·√v̂ + ε) changes by
 *   less than b·2^−126/ε ≤ b·2^−66. With ε = 0 nothing is flushed (0/0 must stay what IEEE gives).
 * - Adam's v when ε ≥ c·2^−39: c·√v < c·2^−63 ≤ ε·2^−24, below the rounding of the denominator.
 *   RMSprop's square average likewise when ε ≥ 2^−39, but never when centered: v − a² with v
 *   flushed and a normal would be negative, and its root NaN.
 * - RMSprop's gradient average a: a² < 2^−252 underflows to 0 either way.
 * - Lion keeps every subnormal: it steps by sign(β1·m + (1 − β1)·g), which a subnormal m decides.
 */
const smallestNormal: f32 = 1.17549435e-38;

/**
 * `x`, with every lane whose magnitude is below `floor` replaced by +0; NaN and ±∞ kept. `floor`
 * is {@link smallestNormal} (subnormals become 0) or 0 (nothing changes).
 */
// @ts-ignore: decorator
@inline function flushSubnormals(x: v128, floor: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), floor));
}

/** The scalar form of {@link flushSubnormals}, for the tails. */
// @ts-ignore: decorator
@inline function flushSubnormal(x: f32, floor: f32): f32 {
  return abs<f32>(x) < floor ? 0 : x;
}

/**
 * SGD (PyTorch torch.optim.SGD): g ← sign·∇ + λθ; with momentum b ← first ? g : μb + (1 − τ)g and
 * g ← nesterov ? g + μb : b; θ ← θ − γg. `buffer` is read only when `momentum` ≠ 0.
 */
export function sgd(value: usize, gradient: usize, buffer: usize, length: i32, numbers: usize, first: i32, nesterov: i32): void {
  const learningRate = load<f32>(numbers, 0);
  const sign = load<f32>(numbers, 4);
  const weightDecay = load<f32>(numbers, 8);
  const momentum = load<f32>(numbers, 12);
  const keep = load<f32>(numbers, 16);
  const vRate = splat(learningRate), vSign = splat(sign), vDecay = splat(weightDecay), vMomentum = splat(momentum), vKeep = splat(keep);
  const useMomentum = momentum != 0;
  const vSmallestNormal = splat(smallestNormal);
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const at = <usize>i << 2;
    const theta = v128.load(value + at);
    let g = f32x4.add(f32x4.mul(vSign, v128.load(gradient + at)), f32x4.mul(vDecay, theta));
    if (useMomentum) {
      const b = flushSubnormals(first ? g : f32x4.add(f32x4.mul(vMomentum, v128.load(buffer + at)), f32x4.mul(vKeep, g)), vSmallestNormal);
      v128.store(buffer + at, b);
      g = nesterov ? f32x4.add(g, f32x4.mul(vMomentum, b)) : b;
    }
    v128.store(value + at, f32x4.sub(theta, f32x4.mul(vRate, g)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const theta = load<f32>(value + at);
    let g = sign * load<f32>(gradient + at) + weightDecay * theta;
    if (useMomentum) {
      const b = flushSubnormal(first ? g : momentum * load<f32>(buffer + at) + keep * g, smallestNormal);
      store<f32>(buffer + at, b);
      g = nesterov ? g + momentum * b : b;
    }
    store<f32>(value + at, theta - learningRate * g);
  }
}

/**
 * Adam, AdamW, NAdam and RAdam as one pass, their differences folded into per-step numbers:
 * g ← sign·∇ + λθ;  m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  v̂ ← max(v_max, v) with AMSGrad;
 * θ ← θ·decay − (a·g + b·m) / (c·√v̂ + ε).
 */
export function adaptiveMoments(value: usize, gradient: usize, firstMoment: usize, secondMoment: usize, maxSecondMoment: usize, length: i32, numbers: usize, amsgrad: i32): void {
  const sign = load<f32>(numbers, 0);
  const l2 = load<f32>(numbers, 4);
  const decay = load<f32>(numbers, 8);
  const beta1 = load<f32>(numbers, 12);
  const beta2 = load<f32>(numbers, 16);
  const keep1 = load<f32>(numbers, 20);
  const keep2 = load<f32>(numbers, 24);
  const gradientWeight = load<f32>(numbers, 28);
  const momentWeight = load<f32>(numbers, 32);
  const rootScale = load<f32>(numbers, 36);
  const epsilon = load<f32>(numbers, 40);
  const vSign = splat(sign), vL2 = splat(l2), vDecay = splat(decay), vBeta1 = splat(beta1), vBeta2 = splat(beta2), vKeep1 = splat(keep1), vKeep2 = splat(keep2);
  const vA = splat(gradientWeight), vB = splat(momentWeight), vC = splat(rootScale), vEpsilon = splat(epsilon);
  // Subnormal moments are dropped only where they cannot move the update (see smallestNormal).
  const firstFloor: f32 = epsilon >= 8.6736174e-19 ? smallestNormal : 0; // ε ≥ 2^−60
  const secondFloor: f32 = epsilon >= rootScale * 1.8189894e-12 ? smallestNormal : 0; // ε ≥ c·2^−39
  const vFirstFloor = splat(firstFloor), vSecondFloor = splat(secondFloor);
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const at = <usize>i << 2;
    const theta = v128.load(value + at);
    const g = f32x4.add(f32x4.mul(vSign, v128.load(gradient + at)), f32x4.mul(vL2, theta));
    const m = flushSubnormals(f32x4.add(f32x4.mul(vBeta1, v128.load(firstMoment + at)), f32x4.mul(vKeep1, g)), vFirstFloor);
    v128.store(firstMoment + at, m);
    let v = flushSubnormals(f32x4.add(f32x4.mul(vBeta2, v128.load(secondMoment + at)), f32x4.mul(f32x4.mul(vKeep2, g), g)), vSecondFloor);
    v128.store(secondMoment + at, v);
    if (amsgrad) {
      v = f32x4.max(v128.load(maxSecondMoment + at), v);
      v128.store(maxSecondMoment + at, v);
    }
    const numerator = f32x4.add(f32x4.mul(vA, g), f32x4.mul(vB, m));
    const denominator = f32x4.add(f32x4.mul(f32x4.sqrt(v), vC), vEpsilon);
    v128.store(value + at, f32x4.sub(f32x4.mul(theta, vDecay), f32x4.div(numerator, denominator)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const theta = load<f32>(value + at);
    const g = sign * load<f32>(gradient + at) + l2 * theta;
    const m = flushSubnormal(beta1 * load<f32>(firstMoment + at) + keep1 * g, firstFloor);
    store<f32>(firstMoment + at, m);
    let v = flushSubnormal(beta2 * load<f32>(secondMoment + at) + keep2 * g * g, secondFloor);
    store<f32>(secondMoment + at, v);
    if (amsgrad) {
      v = max<f32>(load<f32>(maxSecondMoment + at), v);
      store<f32>(maxSecondMoment + at, v);
    }
    store<f32>(value + at, theta * decay - (gradientWeight * g + momentWeight * m) / (sqrt<f32>(v) * rootScale + epsilon));
  }
}

/**
 * RMSprop (PyTorch torch.optim.RMSprop): g ← sign·∇ + λθ;  v ← αv + (1 − α)g²;  centered:
 * a ← αa + (1 − α)g, v̄ ← v − a²;  s ← g / (√v̄ + ε);  momentum > 0: b ← μb + s, θ ← θ − γb;  else θ ← θ − γs.
 */
export function rmsprop(value: usize, gradient: usize, squareAverage: usize, momentumBuffer: usize, gradientAverage: usize, length: i32, numbers: usize, centered: i32): void {
  const learningRate = load<f32>(numbers, 0);
  const sign = load<f32>(numbers, 4);
  const weightDecay = load<f32>(numbers, 8);
  const alpha = load<f32>(numbers, 12);
  const keep = load<f32>(numbers, 16);
  const epsilon = load<f32>(numbers, 20);
  const momentum = load<f32>(numbers, 24);
  const vRate = splat(learningRate), vSign = splat(sign), vDecay = splat(weightDecay), vAlpha = splat(alpha), vKeep = splat(keep), vEpsilon = splat(epsilon), vMomentum = splat(momentum);
  const useMomentum = momentum > 0;
  // Subnormal averages are dropped only where they cannot move the update (see smallestNormal).
  const squareFloor: f32 = !centered && epsilon >= 1.8189894e-12 ? smallestNormal : 0; // ε ≥ 2^−39
  const vSquareFloor = splat(squareFloor), vSmallestNormal = splat(smallestNormal);
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const at = <usize>i << 2;
    const theta = v128.load(value + at);
    const g = f32x4.add(f32x4.mul(vSign, v128.load(gradient + at)), f32x4.mul(vDecay, theta));
    const v = flushSubnormals(f32x4.add(f32x4.mul(vAlpha, v128.load(squareAverage + at)), f32x4.mul(f32x4.mul(vKeep, g), g)), vSquareFloor);
    v128.store(squareAverage + at, v);
    let variance = v;
    if (centered) {
      const average = flushSubnormals(f32x4.add(f32x4.mul(vAlpha, v128.load(gradientAverage + at)), f32x4.mul(vKeep, g)), vSmallestNormal);
      v128.store(gradientAverage + at, average);
      variance = f32x4.sub(v, f32x4.mul(average, average));
    }
    let step = f32x4.div(g, f32x4.add(f32x4.sqrt(variance), vEpsilon));
    if (useMomentum) {
      step = flushSubnormals(f32x4.add(f32x4.mul(vMomentum, v128.load(momentumBuffer + at)), step), vSmallestNormal);
      v128.store(momentumBuffer + at, step);
    }
    v128.store(value + at, f32x4.sub(theta, f32x4.mul(vRate, step)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const theta = load<f32>(value + at);
    const g = sign * load<f32>(gradient + at) + weightDecay * theta;
    const v = flushSubnormal(alpha * load<f32>(squareAverage + at) + keep * g * g, squareFloor);
    store<f32>(squareAverage + at, v);
    let variance = v;
    if (centered) {
      const average = flushSubnormal(alpha * load<f32>(gradientAverage + at) + keep * g, smallestNormal);
      store<f32>(gradientAverage + at, average);
      variance = v - average * average;
    }
    let step = g / (sqrt<f32>(variance) + epsilon);
    if (useMomentum) {
      step = flushSubnormal(momentum * load<f32>(momentumBuffer + at) + step, smallestNormal);
      store<f32>(momentumBuffer + at, step);
    }
    store<f32>(value + at, theta - learningRate * step);
  }
}

/** Adagrad (PyTorch torch.optim.Adagrad): g ← sign·∇ + λθ;  s ← s + g²;  θ ← θ − γ̃ g / (√s + ε). */
export function adagrad(value: usize, gradient: usize, sum: usize, length: i32, numbers: usize): void {
  const rate = load<f32>(numbers, 0);
  const sign = load<f32>(numbers, 4);
  const weightDecay = load<f32>(numbers, 8);
  const epsilon = load<f32>(numbers, 12);
  const vRate = splat(rate), vSign = splat(sign), vDecay = splat(weightDecay), vEpsilon = splat(epsilon);
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const at = <usize>i << 2;
    const theta = v128.load(value + at);
    const g = f32x4.add(f32x4.mul(vSign, v128.load(gradient + at)), f32x4.mul(vDecay, theta));
    const total = f32x4.add(v128.load(sum + at), f32x4.mul(g, g));
    v128.store(sum + at, total);
    v128.store(value + at, f32x4.sub(theta, f32x4.div(f32x4.mul(vRate, g), f32x4.add(f32x4.sqrt(total), vEpsilon))));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const theta = load<f32>(value + at);
    const g = sign * load<f32>(gradient + at) + weightDecay * theta;
    const total = load<f32>(sum + at) + g * g;
    store<f32>(sum + at, total);
    store<f32>(value + at, theta - rate * g / (sqrt<f32>(total) + epsilon));
  }
}

/** Lion (Chen et al., 2023): c ← β1 m + (1 − β1) g;  θ ← θ − η (sign(c) + λθ);  m ← β2 m + (1 − β2) g. */
export function lion(value: usize, gradient: usize, momentum: usize, length: i32, numbers: usize): void {
  const learningRate = load<f32>(numbers, 0);
  const sign = load<f32>(numbers, 4);
  const beta1 = load<f32>(numbers, 8);
  const keep1 = load<f32>(numbers, 12);
  const beta2 = load<f32>(numbers, 16);
  const keep2 = load<f32>(numbers, 20);
  const weightDecay = load<f32>(numbers, 24);
  const vRate = splat(learningRate), vSign = splat(sign), vBeta1 = splat(beta1), vKeep1 = splat(keep1), vBeta2 = splat(beta2), vKeep2 = splat(keep2), vDecay = splat(weightDecay);
  const one = splat(1), zero = splat(0);
  const end = length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    const at = <usize>i << 2;
    const theta = v128.load(value + at);
    const g = f32x4.mul(vSign, v128.load(gradient + at));
    const m = v128.load(momentum + at);
    const c = f32x4.add(f32x4.mul(vBeta1, m), f32x4.mul(vKeep1, g));
    // sign(c): 1, −1 or 0, and NaN for NaN (as Math.sign).
    let direction = f32x4.sub(v128.bitselect(one, zero, f32x4.gt(c, zero)), v128.bitselect(one, zero, f32x4.lt(c, zero)));
    direction = v128.bitselect(c, direction, f32x4.ne(c, c));
    v128.store(value + at, f32x4.sub(theta, f32x4.mul(vRate, f32x4.add(direction, f32x4.mul(vDecay, theta)))));
    v128.store(momentum + at, f32x4.add(f32x4.mul(vBeta2, m), f32x4.mul(vKeep2, g)));
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const theta = load<f32>(value + at);
    const g = sign * load<f32>(gradient + at);
    const m = load<f32>(momentum + at);
    const c = beta1 * m + keep1 * g;
    const direction: f32 = c != c ? c : c > 0 ? 1 : c < 0 ? -1 : 0;
    store<f32>(value + at, theta - learningRate * (direction + weightDecay * theta));
    store<f32>(momentum + at, beta2 * m + keep2 * g);
  }
}

export { maxMagnitude, scale, sumOfSquares } from './gradient-norm';
