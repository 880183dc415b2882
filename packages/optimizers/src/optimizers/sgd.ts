import type { FloatArray } from '@annet/layer-api';
import { Optimizer } from '../core/optimizer.js';
import type { OptimizerOptions } from '../core/types.js';
import type { RuleState, StepContext, UpdateRule } from '../core/update-rule.js';
import { invalid } from '../validation/fields.js';
import { numberIn } from '../validation/rules.js';
import { flagField, nonNegativeField } from './common-fields.js';
import type { OptimizerKernels } from '../kernels/optimizer-kernels.js';

/** {@link SGD}'s hyperparameters besides the learning rate. */
export type SGDHyperparameters = {
  /** Momentum factor μ; 0 (default) disables momentum and its state. */
  readonly momentum: number;
  /** Dampening τ of the momentum, in [0, 1]; default 0. */
  readonly dampening: number;
  /** L2 penalty λ added to the gradient; default 0. */
  readonly weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0); default false. */
  readonly nesterov: boolean;
  /** Ascend instead of descend; default false. */
  readonly maximize: boolean;
};

/** Options of {@link SGD}: learning rate (default 1e-3), hyperparameters, groups. */
export type SGDOptions = OptimizerOptions<SGDHyperparameters>;

/**
 * SGD's update element by element as PyTorch's docstring writes it, every line in the same order:
 * the readable reference the fast {@link sgdUpdate} (unrolled and branch-free where it can be) is
 * tested against.
 *
 * @example
 * sgdReference(value, gradient, { momentumBuffer }, { step: 1, learningRate: 0.1 }, hyperparameters);
 */
export function sgdReference(
  value: FloatArray,
  gradient: FloatArray,
  slots: RuleState['slots'],
  context: StepContext,
  h: SGDHyperparameters,
): void {
  const { step: t, learningRate: lr } = context;
  const { momentum: mu, dampening: tau, weightDecay: lambda } = h;
  const b = slots.momentumBuffer;
  for (let i = 0; i < value.length; i++) {
    let g = h.maximize ? -gradient[i] : gradient[i];
    if (lambda !== 0) g = g + lambda * value[i];
    if (mu !== 0) {
      b[i] = t > 1 ? mu * b[i] + (1 - tau) * g : g;
      g = h.nesterov ? g + mu * b[i] : b[i];
    }
    value[i] = value[i] - lr * g;
  }
}

/**
 * One SGD update of `value` in place (PyTorch `torch.optim.SGD`): {@link sgdReference} in one
 * pass, with branch-free loops for the common settings. Slot `momentumBuffer`, present when
 * momentum is (or a one-cycle schedule makes it) non-zero; `context.step` is this parameter's
 * update count (1 for the first).
 *
 * @example
 * sgdUpdate(value, gradient, { slots: {}, scalars: {} }, { step: 1, learningRate: 0.1 }, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
 */
export function sgdUpdate(
  value: FloatArray,
  gradient: FloatArray,
  state: RuleState,
  context: StepContext,
  h: SGDHyperparameters,
): void {
  const { momentumBuffer } = state.slots;
  const { step, learningRate } = context;
  const { momentum, weightDecay, nesterov } = h;
  const sign = h.maximize ? -1 : 1;
  const length = value.length;
  if (momentum === 0 || momentumBuffer === undefined) {
    if (weightDecay === 0) {
      // The common case: θ + (∓γ)·g is exactly θ − γ·(±g); unrolled by eight, which V8 runs
      // 10-30% faster than by four (and about 1.5x faster than not unrolled) on a million floats.
      const rate = h.maximize ? learningRate : -learningRate;
      const end = length - (length % 8);
      let i = 0;
      for (; i < end; i += 8) {
        value[i] += rate * gradient[i];
        value[i + 1] += rate * gradient[i + 1];
        value[i + 2] += rate * gradient[i + 2];
        value[i + 3] += rate * gradient[i + 3];
        value[i + 4] += rate * gradient[i + 4];
        value[i + 5] += rate * gradient[i + 5];
        value[i + 6] += rate * gradient[i + 6];
        value[i + 7] += rate * gradient[i + 7];
      }
      for (; i < length; i++) value[i] += rate * gradient[i];
      return;
    }
    for (let i = 0; i < length; i++) {
      const theta = value[i];
      value[i] = theta - learningRate * (sign * gradient[i] + weightDecay * theta);
    }
    return;
  }
  const first = step === 1;
  const keep = 1 - h.dampening;
  if (!first && !nesterov && weightDecay === 0 && sign === 1) {
    // Classic momentum without per-element branches (about 1.5x faster); the same arithmetic.
    for (let i = 0; i < length; i++) {
      const buffer = momentum * momentumBuffer[i] + keep * gradient[i];
      momentumBuffer[i] = buffer;
      value[i] -= learningRate * buffer;
    }
    return;
  }
  for (let i = 0; i < length; i++) {
    const theta = value[i];
    let g = sign * gradient[i];
    if (weightDecay !== 0) g += weightDecay * theta;
    const buffer = first ? g : momentum * momentumBuffer[i] + keep * g;
    momentumBuffer[i] = buffer;
    value[i] = theta - learningRate * (nesterov ? g + momentum * buffer : buffer);
  }
}

/**
 * {@link sgdUpdate} with the WebAssembly SIMD kernels, in float32, one fused pass four elements at
 * a time.
 *
 * @example
 * sgdSimdUpdate(kernels, value, gradient, state, { step: 1, learningRate: 0.1 }, hyperparameters, numbers);
 */
export function sgdSimdUpdate(
  kernels: OptimizerKernels,
  value: Float32Array,
  gradient: Float32Array,
  state: RuleState,
  context: StepContext,
  h: SGDHyperparameters,
  numbers: Float32Array,
): void {
  const { momentumBuffer } = state.slots;
  numbers[0] = context.learningRate;
  numbers[1] = h.maximize ? -1 : 1;
  numbers[2] = h.weightDecay;
  numbers[3] = momentumBuffer === undefined ? 0 : h.momentum;
  numbers[4] = 1 - h.dampening;
  const buffer = momentumBuffer === undefined ? 0 : momentumBuffer.byteOffset;
  kernels.sgd(
    value.byteOffset,
    gradient.byteOffset,
    buffer,
    value.length,
    numbers.byteOffset,
    context.step === 1 ? 1 : 0,
    h.nesterov ? 1 : 0,
  );
}

/**
 * The SGD rule: fields with PyTorch's defaults, the `momentumBuffer` slot when momentum is on.
 *
 * @example
 * const sgd = new Optimizer(sgdRule, { momentum: 0.9 }); // what new SGD({ momentum: 0.9 }) builds
 */
export const sgdRule: UpdateRule<SGDHyperparameters> = {
  type: 'SGD',
  cycledMomentum: 'momentum',
  defaultLearningRate: 1e-3,
  fields: {
    momentum: nonNegativeField(0),
    dampening: { rule: numberIn(0, 1), default: 0 },
    weightDecay: nonNegativeField(0),
    nesterov: flagField(),
    maximize: flagField(),
  },
  checkCombination(h, operation, prefix) {
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      invalid(
        operation,
        `${prefix}nesterov needs momentum > 0 and dampening 0, got momentum ${h.momentum} and dampening ${h.dampening}; set momentum (for example 0.9) and dampening 0, or nesterov false`,
      );
    }
  },
  slotNames: (h) => (h.momentum !== 0 ? ['momentumBuffer'] : []),
  initialScalars: {},
  update: sgdUpdate,
  simdUpdate: sgdSimdUpdate,
};

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight decay
 * and maximization, exactly PyTorch's `torch.optim.SGD`. For each parameter θ at its step t, with
 * learning rate γ:
 *
 *     g ← ∇f(θ)            (−∇f(θ) when maximize; PyTorch's code negates first, as here)
 *     if λ ≠ 0:  g ← g + λθ
 *     if μ ≠ 0:
 *         b ← g                         if t = 1
 *         b ← μ b + (1 − τ) g           otherwise
 *         g ← g + μ b  if nesterov,  else  g ← b
 *     θ ← θ − γ g
 *
 * State slots: `momentumBuffer` (b) when μ ≠ 0. Defaults: learningRate 1e-3, momentum 0,
 * dampening 0, weightDecay 0, nesterov false, maximize false.
 *
 * @example
 * const sgd = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * sgd.step(model);
 */
export class SGD extends Optimizer<SGDHyperparameters> {
  constructor(options: SGDOptions = {}) {
    super(sgdRule, options);
  }
}
