import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { numberIn } from '../validation/rules.js';
import { flagField, nonNegativeField } from './common-fields.js';

/** {@link Adadelta}'s hyperparameters besides the learning rate. */
export type AdadeltaHyperparameters = {
  /** Decay ρ of both running averages, in [0, 1]; default 0.9. */
  readonly rho: number;
  /** ε inside both square roots; default 1e-6. */
  readonly epsilon: number;
  /** L2 penalty λ; default 0. */
  readonly weightDecay: number;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link Adadelta}: learning rate (default 1), hyperparameters, groups. */
export type AdadeltaOptions = OptimizerOptions<AdadeltaHyperparameters>;

/**
 * One Adadelta update of `value` in place: the algorithm below, line by line in one pass (slots
 * `squareAverage`, `accumulatedDelta`).
 *
 * @example
 * adadeltaUpdate(value, gradient, { slots: { squareAverage, accumulatedDelta }, scalars: {} }, { step: 1, learningRate: 1 }, hyperparameters);
 */
export function adadeltaUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: AdadeltaHyperparameters,
): void {
  const { learningRate } = context;
  const { squareAverage, accumulatedDelta } = state.slots;
  const { rho, epsilon, weightDecay } = h;
  const sign = h.maximize ? -1 : 1;
  const keep = 1 - rho;
  for (let i = 0; i < value.length; i++) {
    const theta = value[i];
    let g = sign * gradient[i];
    if (weightDecay !== 0) g += weightDecay * theta;
    const v = rho * squareAverage[i] + keep * g * g;
    squareAverage[i] = v;
    const delta = (Math.sqrt(accumulatedDelta[i] + epsilon) / Math.sqrt(v + epsilon)) * g;
    accumulatedDelta[i] = rho * accumulatedDelta[i] + keep * delta * delta;
    value[i] = theta - learningRate * delta;
  }
}

/**
 * The Adadelta algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const adadelta = new Optimizer(adadeltaRule, { rho: 0.95 }); // what new Adadelta({ rho: 0.95 }) builds
 */
export const adadeltaRule: UpdateRule<AdadeltaHyperparameters> = {
  type: 'Adadelta',
  defaultLearningRate: 1,
  fields: {
    rho: { rule: numberIn(0, 1), default: 0.9 },
    epsilon: nonNegativeField(1e-6),
    weightDecay: nonNegativeField(0),
    maximize: flagField(),
  },
  slotNames: () => ['squareAverage', 'accumulatedDelta'],
  initialScalars: {},
  update: adadeltaUpdate,
};

/**
 * Adadelta (Zeiler, 2012), exactly PyTorch's `torch.optim.Adadelta`. For each parameter θ, with
 * learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  g ← g + λθ
 *     v ← ρ v + (1 − ρ) g²
 *     Δx ← √(u + ε) / √(v + ε) · g
 *     u ← ρ u + (1 − ρ) Δx²
 *     θ ← θ − γ Δx
 *
 * State slots: `squareAverage` (v), `accumulatedDelta` (u). Defaults: learningRate 1, rho 0.9,
 * epsilon 1e-6, weightDecay 0.
 *
 * @example
 * const adadelta = new Adadelta();
 * adadelta.step(model);
 */
export class Adadelta extends Optimizer<AdadeltaHyperparameters> {
  constructor(options: AdadeltaOptions = {}) {
    super(adadeltaRule, options);
  }
}
