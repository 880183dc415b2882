import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { flagField, nonNegativeField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

/** {@link Adagrad}'s hyperparameters besides the learning rate. */
export type AdagradHyperparameters = {
  /** Learning-rate decay η: the rate at step t is γ / (1 + (t − 1) η); default 0. */
  readonly lrDecay: number;
  /** L2 penalty λ; default 0. */
  readonly weightDecay: number;
  /** Starting value of the squared-gradient sum; default 0. */
  readonly initialAccumulatorValue: number;
  /** ε added to the denominator; default 1e-10. */
  readonly epsilon: number;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link Adagrad}: learning rate (default 1e-2), hyperparameters, groups. */
export type AdagradOptions = OptimizerOptions<AdagradHyperparameters>;

/**
 * One Adagrad update of `value` in place, for the parameter's `context.step`-th update: the
 * algorithm below, line by line in one pass (slot `sum`).
 *
 * @example
 * adagradUpdate(value, gradient, { slots: { sum }, scalars: {} }, { step: 1, learningRate: 0.01 }, hyperparameters);
 */
export function adagradUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: AdagradHyperparameters,
): void {
  const { step, learningRate } = context;
  const { sum } = state.slots;
  const { weightDecay, epsilon } = h;
  const sign = h.maximize ? -1 : 1;
  const rate = learningRate / (1 + (step - 1) * h.lrDecay);
  for (let i = 0; i < value.length; i++) {
    const theta = value[i];
    let g = sign * gradient[i];
    if (weightDecay !== 0) g += weightDecay * theta;
    const total = sum[i] + g * g;
    sum[i] = total;
    value[i] = theta - (rate * g) / (Math.sqrt(total) + epsilon);
  }
}

/**
 * {@link adagradUpdate} with the WebAssembly SIMD kernels, in float32, one fused pass four elements
 * at a time.
 *
 * @example
 * adagradSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 0.01 }, hyperparameters, numbers);
 */
export function adagradSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: AdagradHyperparameters,
  numbers: Float32Array,
): void {
  numbers[0] = context.learningRate / (1 + (context.step - 1) * h.lrDecay);
  numbers[1] = h.maximize ? -1 : 1;
  numbers[2] = h.weightDecay;
  numbers[3] = h.epsilon;
  kernels.adagrad(value.byteOffset, gradient.byteOffset, state.slots.sum.byteOffset, value.length, numbers.byteOffset);
}

/**
 * The Adagrad algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const adagrad = new Optimizer(adagradRule, { learningRate: 0.1 });
 */
export const adagradRule: UpdateRule<AdagradHyperparameters> = {
  type: 'Adagrad',
  defaultLearningRate: 1e-2,
  fields: {
    lrDecay: nonNegativeField(0),
    weightDecay: nonNegativeField(0),
    initialAccumulatorValue: nonNegativeField(0),
    epsilon: nonNegativeField(1e-10),
    maximize: flagField(),
  },
  slotNames: () => ['sum'],
  initialSlotValue: (_slot, h) => h.initialAccumulatorValue,
  initialScalars: {},
  update: adagradUpdate,
  simdUpdate: adagradSimdUpdate,
};

/**
 * Adagrad (Duchi, Hazan and Singer, 2011), exactly PyTorch's `torch.optim.Adagrad`. For each
 * parameter θ at its own step t, with learning rate γ:
 *
 *     γ̃ ← γ / (1 + (t − 1) η)
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  g ← g + λθ
 *     s ← s + g²
 *     θ ← θ − γ̃ g / (√s + ε)
 *
 * State slot: `sum` (s, starting at initialAccumulatorValue). Defaults: learningRate 1e-2,
 * lrDecay 0, weightDecay 0, initialAccumulatorValue 0, epsilon 1e-10.
 *
 * @example
 * const adagrad = new Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.1 });
 * adagrad.step(model);
 */
export class Adagrad extends Optimizer<AdagradHyperparameters> {
  constructor(options: AdagradOptions = {}) {
    super(adagradRule, options);
  }
}
