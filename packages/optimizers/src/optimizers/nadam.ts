import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { StepContext, UpdateRule } from '../core/update-rule.js';
import { adaptiveMomentUpdate, createAdaptiveMomentCoefficients } from './adaptive-moments.js';
import { adamFamilyFields, flagField, nonNegativeField } from './common-fields.js';

const coefficients = createAdaptiveMomentCoefficients();

/** {@link NAdam}'s hyperparameters besides the learning rate. */
export type NAdamHyperparameters = {
  /** Decay β1 of the first moment, in [0, 1); default 0.9. */
  readonly beta1: number;
  /** Decay β2 of the second moment, in [0, 1); default 0.999. */
  readonly beta2: number;
  /** ε added to the denominator; default 1e-8. */
  readonly epsilon: number;
  /** Weight decay λ (L2, or decoupled as in AdamW with `decoupledWeightDecay`); default 0. */
  readonly weightDecay: number;
  /** Momentum decay ψ of the momentum schedule μ_t; default 0.004. */
  readonly momentumDecay: number;
  /** Apply weight decay as AdamW does (NAdamW); default false. */
  readonly decoupledWeightDecay: boolean;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link NAdam}: learning rate (default 2e-3), hyperparameters, groups. */
export type NAdamOptions = OptimizerOptions<NAdamHyperparameters>;

/**
 * One NAdam update of `value` in place, for the parameter's `context.step`-th update. `scalars[0]` is the
 * parameter's running product of μ_i (`muProduct`), updated here; it is saved with the state so a
 * resumed run continues it exactly.
 *
 * @example
 * const scalars = Float64Array.of(1); // muProduct starts at 1
 * nadamUpdate(value, gradient, firstMoment, secondMoment, scalars, { step: 1, learningRate: 2e-3 }, hyperparameters);
 */
export function nadamUpdate(
  value: FloatArray,
  gradient: FloatArray,
  firstMoment: FloatArray,
  secondMoment: FloatArray,
  scalars: Float64Array,
  context: StepContext,
  h: NAdamHyperparameters,
): void {
  const { step, learningRate } = context;
  const { beta1, momentumDecay, decoupledWeightDecay } = h;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  const muProduct = scalars[0] * mu;
  scalars[0] = muProduct;
  const c = coefficients;
  c.sign = h.maximize ? -1 : 1;
  c.l2 = decoupledWeightDecay ? 0 : h.weightDecay;
  c.decay = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1;
  c.beta1 = beta1;
  c.beta2 = h.beta2;
  c.gradientWeight = learningRate * (1 - mu) / (1 - muProduct);
  c.momentWeight = learningRate * muNext / (1 - muProduct * muNext);
  c.rootScale = 1 / Math.sqrt(1 - h.beta2 ** step);
  c.epsilon = h.epsilon;
  adaptiveMomentUpdate(value, gradient, firstMoment, secondMoment, undefined, c);
}

/**
 * The NAdam algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const nadam = new Optimizer(nadamRule, { decoupledWeightDecay: true, weightDecay: 0.01 });
 */
export const nadamRule: UpdateRule<NAdamHyperparameters> = {
  type: 'NAdam',
  cycledMomentum: 'beta1',
  defaultLearningRate: 2e-3,
  fields: {
    ...adamFamilyFields,
    momentumDecay: nonNegativeField(4e-3),
    decoupledWeightDecay: flagField(),
    maximize: flagField(),
  },
  slotNames: () => ['firstMoment', 'secondMoment'],
  scalarNames: ['muProduct'],
  initialScalars: [1],
  update(value, gradient, slots, scalars, context, h) {
    nadamUpdate(value, gradient, slots[0], slots[1], scalars, context, h);
  },
};

/**
 * NAdam: Adam with Nesterov momentum (Dozat, 2016), exactly PyTorch's `torch.optim.NAdam`. For each
 * parameter θ at its own step t, with learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  θ ← θ − γλθ  if decoupledWeightDecay,  else  g ← g + λθ
 *     μ_t ← β1 (1 − ½ · 0.96^(tψ));   μ_{t+1} ← β1 (1 − ½ · 0.96^((t+1)ψ))
 *     m ← β1 m + (1 − β1) g
 *     v ← β2 v + (1 − β2) g²
 *     m̂ ← μ_{t+1} m / (1 − ∏_{i=1}^{t+1} μ_i) + (1 − μ_t) g / (1 − ∏_{i=1}^{t} μ_i)
 *     v̂ ← v / (1 − β2^t)
 *     θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * State slots: `firstMoment` (m), `secondMoment` (v); scalar `muProduct` (∏ μ_i, in float64).
 * Defaults: learningRate 2e-3, beta1 0.9, beta2 0.999, epsilon 1e-8, weightDecay 0,
 * momentumDecay 0.004, decoupledWeightDecay false.
 *
 * @example
 * const nadam = new NAdam({ learningRate: 2e-3 });
 * nadam.step(model);
 */
export class NAdam extends Optimizer<NAdamHyperparameters> {
  constructor(options: NAdamOptions = {}) {
    super(nadamRule, options);
  }
}
