import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { adamFamilyFields, flagField } from './common-fields.js';

/** {@link Adamax}'s hyperparameters besides the learning rate. */
export type AdamaxHyperparameters = {
  /** Decay β1 of the first moment, in [0, 1); default 0.9. */
  readonly beta1: number;
  /** Decay β2 of the infinity norm, in [0, 1); default 0.999. */
  readonly beta2: number;
  /** ε added to |g| before the maximum; default 1e-8. */
  readonly epsilon: number;
  /** L2 penalty λ; default 0. */
  readonly weightDecay: number;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link Adamax}: learning rate (default 2e-3), hyperparameters, groups. */
export type AdamaxOptions = OptimizerOptions<AdamaxHyperparameters>;

/**
 * One Adamax update of `value` in place, for the parameter's `context.step`-th update: the
 * algorithm below, line by line in one pass (the bias correction folded into one step size).
 *
 * @example
 * adamaxUpdate(value, gradient, { slots: { firstMoment, infinityNorm }, scalars: {} }, { step: 1, learningRate: 2e-3 }, hyperparameters);
 */
export function adamaxUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: AdamaxHyperparameters,
): void {
  const { step, learningRate } = context;
  const { firstMoment, infinityNorm } = state.slots;
  const { beta1, beta2, epsilon, weightDecay } = h;
  const sign = h.maximize ? -1 : 1;
  const stepSize = learningRate / (1 - beta1 ** step);
  const keep1 = 1 - beta1;
  for (let i = 0; i < value.length; i++) {
    const theta = value[i];
    let g = sign * gradient[i];
    if (weightDecay !== 0) g += weightDecay * theta;
    const m = beta1 * firstMoment[i] + keep1 * g;
    firstMoment[i] = m;
    const u = Math.max(beta2 * infinityNorm[i], Math.abs(g) + epsilon);
    infinityNorm[i] = u;
    value[i] = theta - (stepSize * m) / u;
  }
}

/**
 * The Adamax algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const adamax = new Optimizer(adamaxRule, {});
 */
export const adamaxRule: UpdateRule<AdamaxHyperparameters> = {
  type: 'Adamax',
  cycledMomentum: 'beta1',
  defaultLearningRate: 2e-3,
  fields: {
    ...adamFamilyFields,
    maximize: flagField(),
  },
  slotNames: () => ['firstMoment', 'infinityNorm'],
  initialScalars: {},
  update: adamaxUpdate,
};

/**
 * Adamax, Adam's infinity-norm variant (Kingma and Ba, 2015, section 7), exactly PyTorch's
 * `torch.optim.Adamax`. For each parameter θ at its own step t, with learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  g ← g + λθ
 *     m ← β1 m + (1 − β1) g
 *     u ← max(β2 u, |g| + ε)
 *     θ ← θ − γ m / ((1 − β1^t) u)
 *
 * State slots: `firstMoment` (m), `infinityNorm` (u). Defaults: learningRate 2e-3, beta1 0.9,
 * beta2 0.999, epsilon 1e-8, weightDecay 0.
 *
 * @example
 * const adamax = new Adamax({ learningRate: 2e-3 });
 * adamax.step(model);
 */
export class Adamax extends Optimizer<AdamaxHyperparameters> {
  constructor(options: AdamaxOptions = {}) {
    super(adamaxRule, options);
  }
}
