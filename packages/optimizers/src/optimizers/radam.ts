import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { adamFamilyFields, flagField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

/** {@link RAdam}'s hyperparameters besides the learning rate. */
export type RAdamHyperparameters = {
  /** Decay β1 of the first moment, in [0, 1); default 0.9. */
  readonly beta1: number;
  /** Decay β2 of the second moment, in [0, 1); default 0.999. */
  readonly beta2: number;
  /** ε added to the denominator; default 1e-8. */
  readonly epsilon: number;
  /** Weight decay λ (L2, or decoupled with `decoupledWeightDecay`); default 0. */
  readonly weightDecay: number;
  /** Apply weight decay as AdamW does; default false. */
  readonly decoupledWeightDecay: boolean;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link RAdam}: learning rate (default 1e-3), hyperparameters, groups. */
export type RAdamOptions = OptimizerOptions<RAdamHyperparameters>;

/**
 * RAdam's update element by element as PyTorch's docstring writes it, every line in the same
 * order: the readable reference the fast {@link radamUpdate} is tested against.
 *
 * @example
 * radamReference(value, gradient, { firstMoment, secondMoment }, { step: 1, learningRate: 1e-3 }, hyperparameters);
 */
export function radamReference(
  value: FloatArray,
  gradient: FloatArray,
  slots: RuleState['slots'],
  context: StepContext,
  h: RAdamHyperparameters,
): void {
  const { step: t, learningRate: lr } = context;
  const { beta1, beta2, epsilon, weightDecay } = h;
  const { firstMoment: m, secondMoment: v } = slots;
  for (let i = 0; i < value.length; i++) {
    let g = h.maximize ? -gradient[i] : gradient[i];
    if (weightDecay !== 0) {
      if (h.decoupledWeightDecay) value[i] = value[i] * (1 - lr * weightDecay);
      else g = g + weightDecay * value[i];
    }
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const mHat = m[i] / (1 - beta1 ** t);
    const rhoInfinity = 2 / (1 - beta2) - 1;
    const rho = rhoInfinity - (2 * t * beta2 ** t) / (1 - beta2 ** t);
    if (rho > 5) {
      const l = Math.sqrt(1 - beta2 ** t) / (Math.sqrt(v[i]) + epsilon);
      const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
      value[i] = value[i] - lr * mHat * r * l;
    } else {
      value[i] = value[i] - lr * mHat;
    }
  }
}

/**
 * One RAdam update of `value` in place, for the parameter's `context.step`-th update:
 * {@link radamReference} fused into one pass, with ρ_t, the rectification r and the bias
 * corrections folded into one step size per step.
 *
 * @example
 * radamUpdate(value, gradient, { slots: { firstMoment, secondMoment }, scalars: {} }, { step: 1, learningRate: 1e-3 }, hyperparameters);
 */
export function radamUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: RAdamHyperparameters,
): void {
  const { step, learningRate } = context;
  const { beta1, beta2, epsilon, decoupledWeightDecay } = h;
  const { firstMoment, secondMoment } = state.slots;
  const firstCorrection = 1 - beta1 ** step;
  const secondCorrection = 1 - beta2 ** step;
  const rhoInfinity = 2 / (1 - beta2) - 1;
  const rho = rhoInfinity - (2 * step * beta2 ** step) / secondCorrection;
  const sign = h.maximize ? -1 : 1;
  const l2 = decoupledWeightDecay ? 0 : h.weightDecay;
  const decay = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1;
  const rectified = rho > 5;
  // Rectified: θ − γ m̂ r √(1 − β2^t) / (√v + ε); otherwise plain momentum θ − γ m̂.
  const stepSize = rectified
    ? (learningRate / firstCorrection) *
      Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)) *
      Math.sqrt(secondCorrection)
    : learningRate / firstCorrection;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  const length = value.length;
  if (!rectified) {
    // The first steps (ρ_t ≤ 5): plain momentum, no denominator.
    for (let i = 0; i < length; i++) {
      const previous = value[i];
      let g = sign * gradient[i];
      if (l2 !== 0) g += l2 * previous; // skipped at 0 so that −0 stays −0
      const m = beta1 * firstMoment[i] + keep1 * g;
      firstMoment[i] = m;
      secondMoment[i] = beta2 * secondMoment[i] + keep2 * g * g;
      value[i] = previous * decay - stepSize * m;
    }
    return;
  }
  if (l2 === 0) {
    // The common case, without per-element branches.
    for (let i = 0; i < length; i++) {
      const g = sign * gradient[i];
      const m = beta1 * firstMoment[i] + keep1 * g;
      firstMoment[i] = m;
      const v = beta2 * secondMoment[i] + keep2 * g * g;
      secondMoment[i] = v;
      value[i] = value[i] * decay - (stepSize * m) / (Math.sqrt(v) + epsilon);
    }
    return;
  }
  for (let i = 0; i < length; i++) {
    const previous = value[i];
    const g = sign * gradient[i] + l2 * previous;
    const m = beta1 * firstMoment[i] + keep1 * g;
    firstMoment[i] = m;
    const v = beta2 * secondMoment[i] + keep2 * g * g;
    secondMoment[i] = v;
    value[i] = previous * decay - (stepSize * m) / (Math.sqrt(v) + epsilon);
  }
}

/**
 * {@link radamUpdate} with the WebAssembly SIMD kernels, in float32: the same step size, one fused
 * pass four elements at a time (unrectified steps as `(b·m) / (0·√v + 1)`).
 *
 * @example
 * radamSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 1e-3 }, hyperparameters, numbers);
 */
export function radamSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: RAdamHyperparameters,
  numbers: Float32Array,
): void {
  const { step, learningRate } = context;
  const { beta1, beta2, decoupledWeightDecay } = h;
  const { firstMoment, secondMoment } = state.slots;
  const firstCorrection = 1 - beta1 ** step;
  const secondCorrection = 1 - beta2 ** step;
  const rhoInfinity = 2 / (1 - beta2) - 1;
  const rho = rhoInfinity - (2 * step * beta2 ** step) / secondCorrection;
  const rectified = rho > 5;
  const stepSize = rectified
    ? (learningRate / firstCorrection) *
      Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)) *
      Math.sqrt(secondCorrection)
    : learningRate / firstCorrection;
  numbers[0] = h.maximize ? -1 : 1;
  numbers[1] = decoupledWeightDecay ? 0 : h.weightDecay; // L2
  numbers[2] = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1; // decay
  numbers[3] = beta1;
  numbers[4] = beta2;
  numbers[5] = 1 - beta1;
  numbers[6] = 1 - beta2;
  numbers[7] = 0;
  numbers[8] = stepSize;
  numbers[9] = rectified ? 1 : 0; // unrectified: 0·√v + 1 = 1
  numbers[10] = rectified ? h.epsilon : 1;
  kernels.adaptiveMoments(
    value.byteOffset,
    gradient.byteOffset,
    firstMoment.byteOffset,
    secondMoment.byteOffset,
    0,
    value.length,
    numbers.byteOffset,
    0,
  );
}

/**
 * The RAdam algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const radam = new Optimizer(radamRule, {});
 */
export const radamRule: UpdateRule<RAdamHyperparameters> = {
  type: 'RAdam',
  cycledMomentum: 'beta1',
  defaultLearningRate: 1e-3,
  fields: {
    ...adamFamilyFields,
    decoupledWeightDecay: flagField(),
    maximize: flagField(),
  },
  slotNames: () => ['firstMoment', 'secondMoment'],
  initialScalars: {},
  update: radamUpdate,
  simdUpdate: radamSimdUpdate,
};

/**
 * RAdam: Adam with a rectified adaptive learning rate (Liu et al., 2020), exactly PyTorch's
 * `torch.optim.RAdam`. For each parameter θ at its own step t, with learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  θ ← θ − γλθ  if decoupledWeightDecay,  else  g ← g + λθ
 *     m ← β1 m + (1 − β1) g
 *     v ← β2 v + (1 − β2) g²
 *     m̂ ← m / (1 − β1^t)
 *     ρ∞ ← 2 / (1 − β2) − 1;   ρ_t ← ρ∞ − 2t β2^t / (1 − β2^t)
 *     if ρ_t > 5:
 *         l ← √(1 − β2^t) / (√v + ε)
 *         r ← √((ρ_t − 4)(ρ_t − 2) ρ∞ / ((ρ∞ − 4)(ρ∞ − 2) ρ_t))
 *         θ ← θ − γ m̂ r l
 *     else:
 *         θ ← θ − γ m̂
 *
 * State slots: `firstMoment` (m), `secondMoment` (v). Defaults: learningRate 1e-3, beta1 0.9,
 * beta2 0.999, epsilon 1e-8, weightDecay 0, decoupledWeightDecay false.
 *
 * @example
 * const radam = new RAdam({ learningRate: 1e-3 });
 * radam.step(model);
 */
export class RAdam extends Optimizer<RAdamHyperparameters> {
  constructor(options: RAdamOptions = {}) {
    super(radamRule, options);
  }
}
