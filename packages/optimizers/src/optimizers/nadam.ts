import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { adamFamilyFields, flagField, nonNegativeField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

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
 * NAdam's update element by element as PyTorch's (2.x) docstring writes it, every line in the same
 * order: the readable reference the fast {@link nadamUpdate} is tested against. Updates
 * `scalars.muProduct` (∏ μ_i) like the fast path.
 *
 * @example
 * nadamReference(value, gradient, { slots: { firstMoment, secondMoment }, scalars: { muProduct: 1 } }, { step: 1, learningRate: 2e-3 }, hyperparameters);
 */
export function nadamReference(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: NAdamHyperparameters,
): void {
  const { step: t, learningRate: lr } = context;
  const { beta1, beta2, epsilon, weightDecay, momentumDecay: psi } = h;
  const { firstMoment: m, secondMoment: v } = state.slots;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
  const muProduct = state.scalars.muProduct * mu;
  state.scalars.muProduct = muProduct;
  for (let i = 0; i < value.length; i++) {
    let g = h.maximize ? -gradient[i] : gradient[i];
    if (weightDecay !== 0) {
      if (h.decoupledWeightDecay) value[i] = value[i] * (1 - lr * weightDecay);
      else g = g + weightDecay * value[i];
    }
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const mHat = (muNext * m[i]) / (1 - muProduct * muNext) + ((1 - mu) * g) / (1 - muProduct);
    const vHat = v[i] / (1 - beta2 ** t);
    value[i] = value[i] - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}

/**
 * One NAdam update of `value` in place, for the parameter's `context.step`-th update:
 * {@link nadamReference} fused into one pass, its per-step numbers folded first (the numerator
 * `a·g + b·m` with `a = γ(1 − μ_t) / (1 − ∏μ)` and `b = γ μ_{t+1} / (1 − ∏μ · μ_{t+1})`, and
 * `√v̂ = √v · rootScale`). `scalars.muProduct`, the running product of μ_i, is updated here; it is
 * saved with the state so a resumed run continues it exactly.
 *
 * @example
 * nadamUpdate(value, gradient, { slots: { firstMoment, secondMoment }, scalars: { muProduct: 1 } }, { step: 1, learningRate: 2e-3 }, hyperparameters);
 */
export function nadamUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: NAdamHyperparameters,
): void {
  const { step, learningRate } = context;
  const { beta1, beta2, epsilon, momentumDecay, decoupledWeightDecay } = h;
  const { firstMoment, secondMoment } = state.slots;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  const muProduct = state.scalars.muProduct * mu;
  state.scalars.muProduct = muProduct;
  const sign = h.maximize ? -1 : 1;
  const l2 = decoupledWeightDecay ? 0 : h.weightDecay;
  const decay = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1;
  const gradientWeight = (learningRate * (1 - mu)) / (1 - muProduct);
  const momentWeight = (learningRate * muNext) / (1 - muProduct * muNext);
  const rootScale = 1 / Math.sqrt(1 - beta2 ** step);
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  const length = value.length;
  if (l2 === 0) {
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
    const g = sign * gradient[i] + l2 * previous;
    const m = beta1 * firstMoment[i] + keep1 * g;
    firstMoment[i] = m;
    const v = beta2 * secondMoment[i] + keep2 * g * g;
    secondMoment[i] = v;
    value[i] = previous * decay - (gradientWeight * g + momentWeight * m) / (Math.sqrt(v) * rootScale + epsilon);
  }
}

/**
 * {@link nadamUpdate} with the WebAssembly SIMD kernels, in float32: the same per-step numbers
 * (`muProduct` updated here, in float64), one fused pass four elements at a time.
 *
 * @example
 * nadamSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 2e-3 }, hyperparameters, numbers);
 */
export function nadamSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: NAdamHyperparameters,
  numbers: Float32Array,
): void {
  const { step, learningRate } = context;
  const { beta1, beta2, momentumDecay, decoupledWeightDecay } = h;
  const { firstMoment, secondMoment } = state.slots;
  const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
  const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
  const muProduct = state.scalars.muProduct * mu;
  state.scalars.muProduct = muProduct;
  numbers[0] = h.maximize ? -1 : 1;
  numbers[1] = decoupledWeightDecay ? 0 : h.weightDecay; // L2
  numbers[2] = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1; // decay
  numbers[3] = beta1;
  numbers[4] = beta2;
  numbers[5] = 1 - beta1;
  numbers[6] = 1 - beta2;
  numbers[7] = (learningRate * (1 - mu)) / (1 - muProduct); // a, on g
  numbers[8] = (learningRate * muNext) / (1 - muProduct * muNext); // b, on m
  numbers[9] = 1 / Math.sqrt(1 - beta2 ** step);
  numbers[10] = h.epsilon;
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
  initialScalars: { muProduct: 1 },
  update: nadamUpdate,
  simdUpdate: nadamSimdUpdate,
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
