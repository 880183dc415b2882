import type { FloatData } from '../buffers.js';

const sqrtTwoOverPi = 0.7978845608028654;
const cubicCoefficient = 0.044715;
/** √(2/π)·0.044715 and 3·√(2/π)·0.044715: u = √(2/π)·x + c₃·x³ and du/dx = √(2/π) + 3c₃·x². */
const cubicTerm = sqrtTwoOverPi * cubicCoefficient;
const cubicSlope = 3 * cubicTerm;

// tanh on (−7.905, 7.905) as the odd rational p(u)/q(u) of degrees 13 and 6 that Eigen uses for
// float32 (its `ptanh_float`): within a few float32 ulps of tanh there. Beyond, tanh is ±1 to
// within 5 float32 ulps (1 − tanh(7.905) = 2.7e-7), and ±1 is returned, so that GELU(x) is exactly
// 0 for very negative x. NaN fails both comparisons and stays NaN through the rational.
const clamp = 7.90531110763549805;
const p1 = 4.89352455891786e-3;
const p3 = 6.37261928875436e-4;
const p5 = 1.48572235717979e-5;
const p7 = 5.12229709037114e-8;
const p9 = -8.60467152213735e-11;
const p11 = 2.00018790482477e-13;
const p13 = -2.76076847742355e-16;
const q0 = 4.89352518554385e-3;
const q2 = 2.268434632439e-3;
const q4 = 1.18534705686654e-4;
const q6 = 1.19825839466702e-6;

/**
 * tanh(u) to float32 accuracy without `Math.tanh` (several times slower in V8): Eigen's float32
 * rational approximation, evaluated in float64, inside ±7.905, and ±1 outside (NaN stays NaN).
 * Exported for tests; the loop below inlines the same arithmetic.
 *
 * @example
 * tanhFloat32(0.5); // 0.46211715… (Math.tanh(0.5) = 0.46211715726000974)
 */
export function tanhFloat32(u: number): number {
  if (u >= clamp) return 1;
  if (u <= -clamp) return -1;
  const u2 = u * u;
  const u4 = u2 * u2;
  const numerator = u * (p1 + p3 * u2 + u4 * (p5 + p7 * u2) + u4 * u4 * (p9 + p11 * u2 + u4 * p13));
  return numerator / (q0 + q2 * u2 + u4 * (q4 + q6 * u2));
}

/**
 * The tanh GELU of `size` float32 values and, in the same pass, its derivative:
 * y = ½x(1 + t), dy/dx = ½(1 + t) + ½x(1 − t²)(√(2/π) + 3·0.044715·√(2/π)·x²), with
 * t = tanh(√(2/π)(x + 0.044715x³)) from {@link tanhFloat32}. `slope` (may be null) keeps dy/dx
 * for the backward pass, which is then one multiplication per element.
 *
 * @example
 * geluTanhFloat32(x, 0, y, slope, x.length);
 */
export function geluTanhFloat32(
  input: Float32Array,
  inputOffset: number,
  output: Float32Array,
  slope: Float32Array | null,
  size: number,
): void {
  for (let index = 0; index < size; index++) {
    const x = input[inputOffset + index];
    const x2 = x * x;
    const u = sqrtTwoOverPi * x + cubicTerm * x2 * x;
    const u2 = u * u;
    const u4 = u2 * u2;
    const numerator = u * (p1 + p3 * u2 + u4 * (p5 + p7 * u2) + u4 * u4 * (p9 + p11 * u2 + u4 * p13));
    const t = u >= clamp ? 1 : u <= -clamp ? -1 : numerator / (q0 + q2 * u2 + u4 * (q4 + q6 * u2));
    const half = 0.5 * x;
    output[index] = half + half * t;
    if (slope !== null) slope[index] = 0.5 + 0.5 * t + half * (1 - t * t) * (sqrtTwoOverPi + cubicSlope * x2);
  }
}

/**
 * The tanh GELU in any float dtype with `Math.tanh` (the float64 path, and the reference the
 * float32 loop is tested against); `slope` as in {@link geluTanhFloat32}.
 *
 * @example
 * geluTanhExact(x, 0, y, null, x.length);
 */
export function geluTanhExact(
  input: FloatData,
  inputOffset: number,
  output: FloatData,
  slope: FloatData | null,
  size: number,
): void {
  for (let index = 0; index < size; index++) {
    const x = input[inputOffset + index];
    const t = Math.tanh(sqrtTwoOverPi * (x + cubicCoefficient * x * x * x));
    output[index] = 0.5 * x * (1 + t);
    if (slope !== null)
      slope[index] = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * sqrtTwoOverPi * (1 + 3 * cubicCoefficient * x * x);
  }
}
