import type { FloatArray } from '@annet/layer-api';

/**
 * The per-step numbers of {@link adaptiveMomentUpdate}: what Adam, AdamW, NAdam and RAdam differ in
 * once their bias corrections and schedules are folded into scalars. Callers keep one of these per
 * module and overwrite it before each call (doubles passed as arguments would be boxed on the heap
 * whenever the call is not inlined, and the loop is too large to inline).
 */
export interface AdaptiveMomentCoefficients {
  /** −1 to ascend (maximize), 1 to descend. */
  sign: number;
  /** L2 penalty λ added to the gradient (0 when decay is decoupled or off). */
  l2: number;
  /** Factor on θ before the step: 1 − γλ for decoupled weight decay, 1 otherwise. */
  decay: number;
  /** Decay β1 of the first moment. */
  beta1: number;
  /** Decay β2 of the second moment. */
  beta2: number;
  /** Weight a on the gradient in the numerator a·g + b·m (0 for Adam and RAdam; NAdam's Nesterov term). */
  gradientWeight: number;
  /** Weight b on the first moment in the numerator a·g + b·m. */
  momentWeight: number;
  /** Factor c on √v in the denominator c·√v + ε (1 / √(1 − β2^t) for Adam's bias correction). */
  rootScale: number;
  /** ε added to the denominator. */
  epsilon: number;
}

/**
 * A coefficients object to reuse across steps, with neutral values.
 *
 * @example
 * const coefficients = createAdaptiveMomentCoefficients(); // once per module, filled before each update
 */
export function createAdaptiveMomentCoefficients(): AdaptiveMomentCoefficients {
  return { sign: 1, l2: 0, decay: 1, beta1: 0, beta2: 0, gradientWeight: 0, momentWeight: 0, rootScale: 1, epsilon: 0 };
}

/**
 * The loop Adam, AdamW, NAdam and RAdam share, in place over one parameter. Per element:
 *
 *     g ← sign·∇ + λθ;   m ← β1 m + (1 − β1) g;   v ← β2 v + (1 − β2) g²
 *     v̂ ← max(v_max, v) when `maxSecondMoment` is given (AMSGrad), v otherwise
 *     θ ← θ·decay − (a·g + b·m) / (c·√v̂ + ε)
 *
 * m and v enter the last line unrounded (float64), as each optimizer computed them before sharing
 * this loop. With a = 0 the numerator is b·m exactly (adding a zero product changes no finite value).
 *
 * @example
 * Object.assign(coefficients, { beta1: 0.9, beta2: 0.999, momentWeight: 1e-3 / (1 - 0.9), rootScale: 1 / Math.sqrt(1 - 0.999), epsilon: 1e-8 });
 * adaptiveMomentUpdate(value, gradient, firstMoment, secondMoment, undefined, coefficients); // Adam's first step
 */
export function adaptiveMomentUpdate(
  value: FloatArray,
  gradient: FloatArray,
  firstMoment: FloatArray,
  secondMoment: FloatArray,
  maxSecondMoment: FloatArray | undefined,
  c: AdaptiveMomentCoefficients,
): void {
  // Properties read once into locals: the loop then touches only typed arrays and registers.
  const { sign, l2, decay, beta1, beta2, gradientWeight, momentWeight, rootScale, epsilon } = c;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  const length = value.length;
  if (maxSecondMoment === undefined && l2 === 0) {
    // The common case, without per-element branches.
    for (let i = 0; i < length; i++) {
      const g = sign * gradient[i];
      const m = beta1 * firstMoment[i] + keep1 * g;
      firstMoment[i] = m;
      const v = beta2 * secondMoment[i] + keep2 * g * g;
      secondMoment[i] = v;
      value[i] = value[i] * decay - (gradientWeight * g + momentWeight * m) / (Math.sqrt(v) * rootScale + epsilon);
    }
    return;
  }
  for (let i = 0; i < length; i++) {
    const previous = value[i];
    let g = sign * gradient[i];
    if (l2 !== 0) g += l2 * previous; // skipped at 0 so that −0 stays −0, bit for bit as the fast path
    const m = beta1 * firstMoment[i] + keep1 * g;
    firstMoment[i] = m;
    let v = beta2 * secondMoment[i] + keep2 * g * g;
    secondMoment[i] = v;
    if (maxSecondMoment !== undefined) {
      v = Math.max(maxSecondMoment[i], v);
      maxSecondMoment[i] = v;
    }
    value[i] = previous * decay - (gradientWeight * g + momentWeight * m) / (Math.sqrt(v) * rootScale + epsilon);
  }
}
