import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { StepContext, UpdateRule } from '../core/update-rule.js';
import { betaField, flagField, nonNegativeField } from './common-fields.js';

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
 * One RAdam update of `value` in place, for the parameter's `context.step`-th update.
 *
 * @example
 * radamUpdate(value, gradient, firstMoment, secondMoment, { step: 1, learningRate: 1e-3 }, hyperparameters);
 */
export function radamUpdate(value: FloatArray, gradient: FloatArray, firstMoment: FloatArray, secondMoment: FloatArray, context: StepContext, h: RAdamHyperparameters): void {
  const { step, learningRate } = context;
  const { beta1, beta2, epsilon, weightDecay, decoupledWeightDecay } = h;
  const sign = h.maximize ? -1 : 1;
  const firstCorrection = 1 - beta1 ** step;
  const secondCorrection = 1 - beta2 ** step;
  const rhoInfinity = 2 / (1 - beta2) - 1;
  const rho = rhoInfinity - 2 * step * beta2 ** step / secondCorrection;
  const rectified = rho > 5;
  const rectification = rectified
    ? Math.sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho))
    : 0;
  // Rectified: θ − γ m̂ r √(1 − β2^t) / (√v + ε); otherwise plain momentum: θ − γ m̂.
  const stepSize = learningRate / firstCorrection;
  const adaptiveSize = stepSize * rectification * Math.sqrt(secondCorrection);
  const decay = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1;
  const l2 = decoupledWeightDecay ? 0 : weightDecay;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = 0; i < value.length; i++) {
    const previous = value[i];
    let g = sign * gradient[i];
    if (l2 !== 0) g += l2 * previous;
    const m = beta1 * firstMoment[i] + keep1 * g;
    firstMoment[i] = m;
    const v = beta2 * secondMoment[i] + keep2 * g * g;
    secondMoment[i] = v;
    value[i] = previous * decay - (rectified ? adaptiveSize * m / (Math.sqrt(v) + epsilon) : stepSize * m);
  }
}

/**
 * The RAdam algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const radam = new Optimizer(radamRule, {});
 */
export const radamRule: UpdateRule<RAdamHyperparameters> = {
  type: 'RAdam',
  defaultLearningRate: 1e-3,
  fields: {
    beta1: betaField(0.9),
    beta2: betaField(0.999),
    epsilon: nonNegativeField(1e-8),
    weightDecay: nonNegativeField(0),
    decoupledWeightDecay: flagField(),
    maximize: flagField(),
  },
  slotNames: () => ['firstMoment', 'secondMoment'],
  scalarNames: [],
  initialScalars: [],
  update(value, gradient, slots, _scalars, context, h) {
    radamUpdate(value, gradient, slots[0], slots[1], context, h);
  },
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
