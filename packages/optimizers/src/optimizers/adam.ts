import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { StepContext, UpdateRule } from '../core/update-rule.js';
import { adaptiveMomentUpdate, createAdaptiveMomentCoefficients } from './adaptive-moments.js';
import { adamFamilyFields, flagField } from './common-fields.js';

const coefficients = createAdaptiveMomentCoefficients();

/** {@link Adam}'s (and {@link AdamW}'s) hyperparameters besides the learning rate. */
export type AdamHyperparameters = {
  /** Decay β1 of the first moment, in [0, 1); default 0.9. */
  readonly beta1: number;
  /** Decay β2 of the second moment, in [0, 1); default 0.999. */
  readonly beta2: number;
  /** ε added to the denominator; default 1e-8. */
  readonly epsilon: number;
  /** Weight decay λ: an L2 penalty in Adam (default 0), decoupled in AdamW (default 0.01). */
  readonly weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad); default false. */
  readonly amsgrad: boolean;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link Adam}: learning rate (default 1e-3), hyperparameters, groups. */
export type AdamOptions = OptimizerOptions<AdamHyperparameters>;

/**
 * One Adam (or, with `decoupledWeightDecay`, AdamW) update of `value` in place, for the parameter's
 * `step`-th update. `maxSecondMoment` is needed only with `amsgrad`.
 *
 * @example
 * adamUpdate(value, gradient, firstMoment, secondMoment, undefined, { step: 1, learningRate: 1e-3 }, hyperparameters, false);
 */
export function adamUpdate(
  value: FloatArray,
  gradient: FloatArray,
  firstMoment: FloatArray,
  secondMoment: FloatArray,
  maxSecondMoment: FloatArray | undefined,
  context: StepContext,
  h: AdamHyperparameters,
  decoupledWeightDecay: boolean,
): void {
  const { step, learningRate } = context;
  const c = coefficients;
  c.sign = h.maximize ? -1 : 1;
  c.l2 = decoupledWeightDecay ? 0 : h.weightDecay;
  c.decay = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1;
  c.beta1 = h.beta1;
  c.beta2 = h.beta2;
  c.gradientWeight = 0;
  c.momentWeight = learningRate / (1 - h.beta1 ** step);
  // sqrt(v / (1 - β2^t)) = sqrt(v) * rootScale, one division fewer per element.
  c.rootScale = 1 / Math.sqrt(1 - h.beta2 ** step);
  c.epsilon = h.epsilon;
  adaptiveMomentUpdate(value, gradient, firstMoment, secondMoment, h.amsgrad ? maxSecondMoment : undefined, c);
}

/**
 * Adam's fields with PyTorch's defaults.
 *
 * @example
 * const fields = { ...adamFields, weightDecay: nonNegativeField(0.01) }; // AdamW's
 */
export const adamFields: UpdateRule<AdamHyperparameters>['fields'] = {
  ...adamFamilyFields,
  amsgrad: flagField(),
  maximize: flagField(),
};

/**
 * `firstMoment`, `secondMoment`, and `maxSecondMoment` with AMSGrad.
 *
 * @example
 * adamSlotNames({ ...hyperparameters, amsgrad: true }); // ['firstMoment', 'secondMoment', 'maxSecondMoment']
 */
export function adamSlotNames(h: AdamHyperparameters): readonly string[] {
  return h.amsgrad ? ['firstMoment', 'secondMoment', 'maxSecondMoment'] : ['firstMoment', 'secondMoment'];
}

/**
 * The Adam algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const adam = new Optimizer(adamRule, { learningRate: 3e-4 }); // what new Adam({ learningRate: 3e-4 }) builds
 */
export const adamRule: UpdateRule<AdamHyperparameters> = {
  type: 'Adam',
  cycledMomentum: 'beta1',
  defaultLearningRate: 1e-3,
  fields: adamFields,
  slotNames: adamSlotNames,
  scalarNames: [],
  initialScalars: [],
  update(value, gradient, slots, _scalars, context, h) {
    adamUpdate(value, gradient, slots[0], slots[1], slots[2], context, h, false);
  },
};

/**
 * Adam (Kingma and Ba, 2015) with optional AMSGrad, L2 weight decay and maximization, exactly
 * PyTorch's `torch.optim.Adam`. For each parameter θ at its own step t, with learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  g ← g + λθ
 *     m ← β1 m + (1 − β1) g
 *     v ← β2 v + (1 − β2) g²
 *     m̂ ← m / (1 − β1^t)
 *     if amsgrad:  v_max ← max(v_max, v);  v̂ ← v_max / (1 − β2^t)
 *     else:        v̂ ← v / (1 − β2^t)
 *     θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * State slots: `firstMoment` (m), `secondMoment` (v), `maxSecondMoment` (v_max, with amsgrad).
 * Defaults: learningRate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8, weightDecay 0.
 *
 * @example
 * const adam = new Adam({ learningRate: 3e-4, groups: [{ pattern: '\\.biases$', learningRate: 1e-3 }] });
 * adam.step(model);
 */
export class Adam extends Optimizer<AdamHyperparameters> {
  constructor(options: AdamOptions = {}) {
    super(adamRule, options);
  }
}
