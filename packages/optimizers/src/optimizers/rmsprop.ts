import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { numberIn } from '../validation/rules.js';
import { flagField, nonNegativeField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

/** {@link RMSprop}'s hyperparameters besides the learning rate. */
export type RMSpropHyperparameters = {
  /** Smoothing constant α of the squared-gradient average, in [0, 1]; default 0.99. */
  readonly alpha: number;
  /** ε added to the denominator; default 1e-8. */
  readonly epsilon: number;
  /** L2 penalty λ; default 0. */
  readonly weightDecay: number;
  /** Momentum factor μ; default 0 (no momentum buffer). */
  readonly momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment; default false. */
  readonly centered: boolean;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link RMSprop}: learning rate (default 1e-2), hyperparameters, groups. */
export type RMSpropOptions = OptimizerOptions<RMSpropHyperparameters>;

/**
 * One RMSprop update of `value` in place: the algorithm below, line by line in one pass. Slots by
 * name: `squareAverage`, `momentumBuffer` (present when momentum is or may become > 0) and
 * `gradientAverage` (centered).
 *
 * @example
 * rmspropUpdate(value, gradient, { slots: { squareAverage }, scalars: {} }, { step: 1, learningRate: 0.01 }, hyperparameters);
 */
export function rmspropUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: RMSpropHyperparameters,
): void {
  const { squareAverage, momentumBuffer, gradientAverage } = state.slots;
  const { learningRate } = context;
  const { alpha, epsilon, weightDecay, momentum, centered } = h;
  const sign = h.maximize ? -1 : 1;
  const keep = 1 - alpha;
  for (let i = 0; i < value.length; i++) {
    const theta = value[i];
    let g = sign * gradient[i];
    if (weightDecay !== 0) g += weightDecay * theta;
    const v = alpha * squareAverage[i] + keep * g * g;
    squareAverage[i] = v;
    let variance = v;
    if (centered) {
      const average = alpha * gradientAverage[i] + keep * g;
      gradientAverage[i] = average;
      variance = v - average * average;
    }
    const scaled = g / (Math.sqrt(variance) + epsilon);
    if (momentum > 0) {
      const buffer = momentum * momentumBuffer[i] + scaled;
      momentumBuffer[i] = buffer;
      value[i] = theta - learningRate * buffer;
    } else {
      value[i] = theta - learningRate * scaled;
    }
  }
}

/**
 * {@link rmspropUpdate} with the WebAssembly SIMD kernels, in float32, one fused pass four elements
 * at a time.
 *
 * @example
 * rmspropSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 0.01 }, hyperparameters, numbers);
 */
export function rmspropSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: RMSpropHyperparameters,
  numbers: Float32Array,
): void {
  const { squareAverage, momentumBuffer, gradientAverage } = state.slots;
  numbers[0] = context.learningRate;
  numbers[1] = h.maximize ? -1 : 1;
  numbers[2] = h.weightDecay;
  numbers[3] = h.alpha;
  numbers[4] = 1 - h.alpha;
  numbers[5] = h.epsilon;
  numbers[6] = momentumBuffer === undefined ? 0 : h.momentum;
  const buffer = momentumBuffer === undefined ? 0 : momentumBuffer.byteOffset;
  const average = gradientAverage === undefined ? 0 : gradientAverage.byteOffset;
  kernels.rmsprop(
    value.byteOffset,
    gradient.byteOffset,
    squareAverage.byteOffset,
    buffer,
    average,
    value.length,
    numbers.byteOffset,
    h.centered ? 1 : 0,
  );
}

/**
 * The RMSprop algorithm as an {@link UpdateRule}: options with PyTorch's defaults, state slots, update.
 *
 * @example
 * const rmsprop = new Optimizer(rmspropRule, { centered: true });
 */
export const rmspropRule: UpdateRule<RMSpropHyperparameters> = {
  type: 'RMSprop',
  cycledMomentum: 'momentum',
  defaultLearningRate: 1e-2,
  fields: {
    alpha: { rule: numberIn(0, 1), default: 0.99 },
    epsilon: nonNegativeField(1e-8),
    weightDecay: nonNegativeField(0),
    momentum: nonNegativeField(0),
    centered: flagField(),
    maximize: flagField(),
  },
  slotNames(h) {
    const slots = ['squareAverage'];
    if (h.momentum > 0) slots.push('momentumBuffer');
    if (h.centered) slots.push('gradientAverage');
    return slots;
  },
  initialScalars: {},
  update: rmspropUpdate,
  simdUpdate: rmspropSimdUpdate,
};

/**
 * RMSprop (Hinton's lecture notes; centered version from Graves, 2013), exactly PyTorch's
 * `torch.optim.RMSprop`. For each parameter θ, with learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     if λ ≠ 0:  g ← g + λθ
 *     v ← α v + (1 − α) g²
 *     ṽ ← v
 *     if centered:  g_ave ← α g_ave + (1 − α) g;  ṽ ← ṽ − g_ave²
 *     if μ > 0:  b ← μ b + g / (√ṽ + ε);  θ ← θ − γ b
 *     else:      θ ← θ − γ g / (√ṽ + ε)
 *
 * State slots: `squareAverage` (v), `momentumBuffer` (b, when μ > 0), `gradientAverage` (g_ave,
 * when centered). Defaults: learningRate 1e-2, alpha 0.99, epsilon 1e-8, weightDecay 0, momentum 0.
 *
 * @example
 * const rmsprop = new RMSprop({ learningRate: 1e-3, momentum: 0.9, centered: true });
 * rmsprop.step(model);
 */
export class RMSprop extends Optimizer<RMSpropHyperparameters> {
  constructor(options: RMSpropOptions = {}) {
    super(rmspropRule, options);
  }
}
