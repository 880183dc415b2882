import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { adamFamilyFields, flagField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

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
 * Adam's update (AdamW's with `decoupledWeightDecay`) element by element as PyTorch's docstring
 * writes it, every line in the same order: the readable reference the fast {@link adamUpdate} is
 * tested against. Slow (bias corrections per element, state rounded to its dtype between lines).
 *
 * @example
 * adamReference(value, gradient, { firstMoment, secondMoment }, { step: 1, learningRate: 1e-3 }, hyperparameters, false);
 */
export function adamReference(
  value: FloatArray,
  gradient: FloatArray,
  slots: RuleState['slots'],
  context: StepContext,
  h: AdamHyperparameters,
  decoupledWeightDecay: boolean,
): void {
  const { step: t, learningRate: lr } = context;
  const { beta1, beta2, epsilon, weightDecay } = h;
  const { firstMoment: m, secondMoment: v, maxSecondMoment: vMax } = slots;
  for (let i = 0; i < value.length; i++) {
    let g = h.maximize ? -gradient[i] : gradient[i];
    if (decoupledWeightDecay) value[i] = value[i] * (1 - lr * weightDecay);
    else if (weightDecay !== 0) g = g + weightDecay * value[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const mHat = m[i] / (1 - beta1 ** t);
    let vHat: number;
    if (h.amsgrad) {
      vMax[i] = Math.max(vMax[i], v[i]);
      vHat = vMax[i] / (1 - beta2 ** t);
    } else {
      vHat = v[i] / (1 - beta2 ** t);
    }
    value[i] = value[i] - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}

/**
 * One Adam update of `value` in place (AdamW's with `decoupledWeightDecay`), for the parameter's
 * `context.step`-th update: {@link adamReference} fused into one pass. The bias corrections are
 * folded into two numbers per step (`stepSize = γ / (1 − β1^t)`, and `√v̂ = √v · rootScale` with
 * `rootScale = 1 / √(1 − β2^t)`, one division fewer per element); m and v enter the last line
 * unrounded (float64). Slots: `firstMoment`, `secondMoment`, and `maxSecondMoment` with amsgrad.
 *
 * @example
 * adamUpdate(value, gradient, { slots: { firstMoment, secondMoment }, scalars: {} }, { step: 1, learningRate: 1e-3 }, hyperparameters);
 */
export function adamUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: AdamHyperparameters,
  decoupledWeightDecay = false,
): void {
  const { step, learningRate } = context;
  const { beta1, beta2, epsilon } = h;
  const { firstMoment, secondMoment, maxSecondMoment } = state.slots;
  const sign = h.maximize ? -1 : 1;
  const l2 = decoupledWeightDecay ? 0 : h.weightDecay;
  const decay = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1;
  const stepSize = learningRate / (1 - beta1 ** step);
  const rootScale = 1 / Math.sqrt(1 - beta2 ** step);
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  const length = value.length;
  if (!h.amsgrad && l2 === 0) {
    // The common case, without per-element branches.
    for (let i = 0; i < length; i++) {
      const g = sign * gradient[i];
      const m = beta1 * firstMoment[i] + keep1 * g;
      firstMoment[i] = m;
      const v = beta2 * secondMoment[i] + keep2 * g * g;
      secondMoment[i] = v;
      value[i] = value[i] * decay - (stepSize * m) / (Math.sqrt(v) * rootScale + epsilon);
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
    if (h.amsgrad) {
      v = Math.max(maxSecondMoment[i], v);
      maxSecondMoment[i] = v;
    }
    value[i] = previous * decay - (stepSize * m) / (Math.sqrt(v) * rootScale + epsilon);
  }
}

/**
 * {@link adamUpdate} with the WebAssembly SIMD kernels, in float32, for a parameter and state in
 * one WebAssembly memory: the same per-step numbers, one fused pass four elements at a time.
 *
 * @example
 * adamSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 1e-3 }, hyperparameters, numbers);
 */
export function adamSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: AdamHyperparameters,
  numbers: Float32Array,
  decoupledWeightDecay = false,
): void {
  const { step, learningRate } = context;
  const { beta1, beta2 } = h;
  const { firstMoment, secondMoment, maxSecondMoment } = state.slots;
  numbers[0] = h.maximize ? -1 : 1;
  numbers[1] = decoupledWeightDecay ? 0 : h.weightDecay; // L2
  numbers[2] = decoupledWeightDecay ? 1 - learningRate * h.weightDecay : 1; // decay
  numbers[3] = beta1;
  numbers[4] = beta2;
  numbers[5] = 1 - beta1;
  numbers[6] = 1 - beta2;
  numbers[7] = 0; // no gradient term in the numerator
  numbers[8] = learningRate / (1 - beta1 ** step); // step size
  numbers[9] = 1 / Math.sqrt(1 - beta2 ** step); // √v̂ = √v · rootScale
  numbers[10] = h.epsilon;
  kernels.adaptiveMoments(
    value.byteOffset,
    gradient.byteOffset,
    firstMoment.byteOffset,
    secondMoment.byteOffset,
    h.amsgrad ? maxSecondMoment.byteOffset : 0,
    value.length,
    numbers.byteOffset,
    h.amsgrad ? 1 : 0,
  );
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
  initialScalars: {},
  update: adamUpdate,
  simdUpdate: adamSimdUpdate,
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
