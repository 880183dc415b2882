import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { StepContext, UpdateRule } from '../core/update-rule.js';
import { adaptiveMomentUpdate, createAdaptiveMomentCoefficients } from './adaptive-moments.js';
import { adamFamilyFields, flagField } from './common-fields.js';

const coefficients = createAdaptiveMomentCoefficients();

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
  const { beta1, beta2, decoupledWeightDecay } = h;
  const firstCorrection = 1 - beta1 ** step;
  const secondCorrection = 1 - beta2 ** step;
  const rhoInfinity = 2 / (1 - beta2) - 1;
  const rho = rhoInfinity - 2 * step * beta2 ** step / secondCorrection;
  const stepSize = learningRate / firstCorrection;
  const c = coefficients;
  c.sign = h.maximize ? -1 : 1;
  c.l2 = decoupledWeightDecay ? 0 : h.weightDecay;
  c.decay = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1;
  c.beta1 = beta1;
  c.beta2 = beta2;
  c.gradientWeight = 0;
  if (rho > 5) {
    // Rectified: θ − γ m̂ r √(1 − β2^t) / (√v + ε).
    const rectification = Math.sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
    c.momentWeight = stepSize * rectification * Math.sqrt(secondCorrection);
    c.rootScale = 1;
    c.epsilon = h.epsilon;
  } else {
    // Plain momentum θ − γ m̂: the denominator 0·√v + 1 is exactly 1.
    c.momentWeight = stepSize;
    c.rootScale = 0;
    c.epsilon = 1;
  }
  adaptiveMomentUpdate(value, gradient, firstMoment, secondMoment, undefined, c);
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
