import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { numberIn } from '../validation/rules.js';
import { flagField, nonNegativeField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

/** {@link Lion}'s hyperparameters besides the learning rate. */
export type LionHyperparameters = {
  /** Interpolation β1 between momentum and gradient for the update direction, in [0, 1]; default 0.9. */
  readonly beta1: number;
  /** Decay β2 of the momentum, in [0, 1]; default 0.99. */
  readonly beta2: number;
  /** Decoupled weight decay λ; default 0. */
  readonly weightDecay: number;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link Lion}: learning rate (default 1e-4), hyperparameters, groups. */
export type LionOptions = OptimizerOptions<LionHyperparameters>;

/**
 * One Lion update of `value` in place: the algorithm below, line by line in one pass (slot
 * `momentum`).
 *
 * @example
 * lionUpdate(value, gradient, { slots: { momentum }, scalars: {} }, { step: 1, learningRate: 1e-4 }, { beta1: 0.9, beta2: 0.99, weightDecay: 0, maximize: false });
 */
export function lionUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: LionHyperparameters,
): void {
  const { learningRate } = context;
  const { momentum } = state.slots;
  const { beta1, beta2, weightDecay } = h;
  const sign = h.maximize ? -1 : 1;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let i = 0; i < value.length; i++) {
    const theta = value[i];
    const g = sign * gradient[i];
    const m = momentum[i];
    const direction = Math.sign(beta1 * m + keep1 * g);
    value[i] = theta - learningRate * (direction + weightDecay * theta);
    momentum[i] = beta2 * m + keep2 * g;
  }
}

/**
 * {@link lionUpdate} with the WebAssembly SIMD kernels, in float32, one fused pass four elements at
 * a time.
 *
 * @example
 * lionSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 1e-4 }, hyperparameters, numbers);
 */
export function lionSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: LionHyperparameters,
  numbers: Float32Array,
): void {
  numbers[0] = context.learningRate;
  numbers[1] = h.maximize ? -1 : 1;
  numbers[2] = h.beta1;
  numbers[3] = 1 - h.beta1;
  numbers[4] = h.beta2;
  numbers[5] = 1 - h.beta2;
  numbers[6] = h.weightDecay;
  kernels.lion(
    value.byteOffset,
    gradient.byteOffset,
    state.slots.momentum.byteOffset,
    value.length,
    numbers.byteOffset,
  );
}

/**
 * The Lion algorithm as an {@link UpdateRule}: options with the paper's defaults, state slot, update.
 *
 * @example
 * const lion = new Optimizer(lionRule, { weightDecay: 0.1 });
 */
export const lionRule: UpdateRule<LionHyperparameters> = {
  type: 'Lion',
  cycledMomentum: 'beta1',
  defaultLearningRate: 1e-4,
  fields: {
    beta1: { rule: numberIn(0, 1), default: 0.9 },
    beta2: { rule: numberIn(0, 1), default: 0.99 },
    weightDecay: nonNegativeField(0),
    maximize: flagField(),
  },
  slotNames: () => ['momentum'],
  initialScalars: {},
  update: lionUpdate,
  simdUpdate: lionSimdUpdate,
};

/**
 * Lion, EvoLved Sign Momentum (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2). For each parameter θ, with learning rate η:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     c ← β1 m + (1 − β1) g
 *     θ ← θ − η (sign(c) + λθ)
 *     m ← β2 m + (1 − β2) g
 *
 * Every coordinate moves by exactly ±η (plus decay), so Lion wants a learning rate 3-10x smaller
 * than AdamW's and a weight decay 3-10x larger. State slot: `momentum` (m). Defaults:
 * learningRate 1e-4, beta1 0.9, beta2 0.99, weightDecay 0.
 *
 * @example
 * const lion = new Lion({ learningRate: 1e-4, weightDecay: 0.1 });
 * lion.step(model);
 */
export class Lion extends Optimizer<LionHyperparameters> {
  constructor(options: LionOptions = {}) {
    super(lionRule, options);
  }
}
