import { laneSum } from './lanes';

// LayerNorm over rows of `size` float32 values (`size` a multiple of 4): μ = Σx/D,
// σ² = Σ(x − μ)²/D (two passes, float32 lanes), x̂ = (x − μ)/√(σ² + ε). The backward pass
// recomputes μ and σ from x with the same operations, so it needs nothing kept from the forward.

// @ts-ignore: decorator
@inline function rowMean(x: usize, size: i32): f32 {
  let sums = f32x4.splat(0);
  for (let i = 0; i < size; i += 4) sums = f32x4.add(sums, v128.load(x + (<usize>i << 2)));
  return laneSum(sums) / <f32>size;
}

// @ts-ignore: decorator
@inline function rowInverseDeviation(x: usize, size: i32, mean: v128, epsilon: f32): f32 {
  let squares = f32x4.splat(0);
  for (let i = 0; i < size; i += 4) {
    const deviation = f32x4.sub(v128.load(x + (<usize>i << 2)), mean);
    squares = f32x4.add(squares, f32x4.mul(deviation, deviation));
  }
  return <f32>1 / Mathf.sqrt(laneSum(squares) / <f32>size + epsilon);
}

/** y = x̂ ⊙ γ + β, row by row. */
export function layerNormForwardF32(x: usize, y: usize, gamma: usize, beta: usize, rows: i32, size: i32, epsilon: f32): void {
  const rowBytes = <usize>size << 2;
  for (let row = 0; row < rows; row++) {
    const input = x + <usize>row * rowBytes;
    const output = y + <usize>row * rowBytes;
    const mean = f32x4.splat(rowMean(input, size));
    const scale = f32x4.splat(rowInverseDeviation(input, size, mean, epsilon));
    for (let i = 0; i < size; i += 4) {
      const at = <usize>i << 2;
      const normalized = f32x4.mul(f32x4.sub(v128.load(input + at), mean), scale);
      v128.store(output + at, f32x4.add(f32x4.mul(normalized, v128.load(gamma + at)), v128.load(beta + at)));
    }
  }
}

/**
 * With g = dy ⊙ γ: dx = (g − mean g − x̂·mean(g ⊙ x̂))/√(σ² + ε), row by row; dγ += Σ_rows dy ⊙ x̂
 * and dβ += Σ_rows dy (the caller zeroes them first).
 */
export function layerNormBackwardF32(
  x: usize,
  dy: usize,
  gamma: usize,
  dx: usize,
  gammaGradient: usize,
  betaGradient: usize,
  rows: i32,
  size: i32,
  epsilon: f32,
): void {
  const rowBytes = <usize>size << 2;
  const count = <f32>size;
  for (let row = 0; row < rows; row++) {
    const input = x + <usize>row * rowBytes;
    const gradient = dy + <usize>row * rowBytes;
    const mean = f32x4.splat(rowMean(input, size));
    const scale = f32x4.splat(rowInverseDeviation(input, size, mean, epsilon));
    let sumG = f32x4.splat(0);
    let sumGNormalized = f32x4.splat(0);
    for (let i = 0; i < size; i += 4) {
      const at = <usize>i << 2;
      const normalized = f32x4.mul(f32x4.sub(v128.load(input + at), mean), scale);
      const g = v128.load(gradient + at);
      v128.store(gammaGradient + at, f32x4.add(v128.load(gammaGradient + at), f32x4.mul(g, normalized)));
      v128.store(betaGradient + at, f32x4.add(v128.load(betaGradient + at), g));
      const scaled = f32x4.mul(g, v128.load(gamma + at));
      sumG = f32x4.add(sumG, scaled);
      sumGNormalized = f32x4.add(sumGNormalized, f32x4.mul(scaled, normalized));
    }
    const meanG = f32x4.splat(laneSum(sumG) / count);
    const meanGNormalized = f32x4.splat(laneSum(sumGNormalized) / count);
    const output = dx + <usize>row * rowBytes;
    for (let i = 0; i < size; i += 4) {
      const at = <usize>i << 2;
      const normalized = f32x4.mul(f32x4.sub(v128.load(input + at), mean), scale);
      const scaled = f32x4.mul(v128.load(gradient + at), v128.load(gamma + at));
      v128.store(output + at, f32x4.mul(scale, f32x4.sub(f32x4.sub(scaled, meanG), f32x4.mul(normalized, meanGNormalized))));
    }
  }
}
