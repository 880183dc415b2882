import { Optimizer } from '../core/optimizer.js';
import type { UpdateRule } from '../core/update-rule.js';
import {
  adamFields,
  adamSimdUpdate,
  adamSlotNames,
  adamUpdate,
  type AdamHyperparameters,
  type AdamOptions,
} from './adam.js';
import { nonNegativeField } from './common-fields.js';

/** Options of {@link AdamW}: Adam's, with weightDecay defaulting to 0.01. */
export type AdamWOptions = AdamOptions;

/**
 * The AdamW rule: Adam's update with decoupled weight decay.
 *
 * @example
 * const adamW = new Optimizer(adamWRule, { weightDecay: 0.05 });
 */
export const adamWRule: UpdateRule<AdamHyperparameters> = {
  type: 'AdamW',
  cycledMomentum: 'beta1',
  defaultLearningRate: 1e-3,
  fields: { ...adamFields, weightDecay: nonNegativeField(0.01) },
  slotNames: adamSlotNames,
  initialScalars: {},
  update(value, gradient, state, context, h) {
    adamUpdate(value, gradient, state, context, h, true);
  },
  simdUpdate(kernels, value, gradient, state, context, h, numbers) {
    adamSimdUpdate(kernels, value, gradient, state, context, h, numbers, true);
  },
};

/**
 * AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019), exactly PyTorch's
 * `torch.optim.AdamW`. For each parameter θ at its own step t, with learning rate γ:
 *
 *     g ← ∇f(θ)                           (−∇f(θ) when maximize)
 *     θ ← θ − γλθ                         (computed as θ (1 − γλ), as PyTorch does)
 *     m ← β1 m + (1 − β1) g
 *     v ← β2 v + (1 − β2) g²
 *     m̂ ← m / (1 − β1^t)
 *     if amsgrad:  v_max ← max(v_max, v);  v̂ ← v_max / (1 − β2^t)
 *     else:        v̂ ← v / (1 − β2^t)
 *     θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * State slots: `firstMoment`, `secondMoment`, `maxSecondMoment` (with amsgrad). Defaults:
 * learningRate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8, weightDecay 0.01.
 *
 * @example
 * // no weight decay on biases and normalization parameters
 * const adamW = new AdamW({ learningRate: 1e-3, groups: [{ pattern: '\\.(biases|gamma|beta)$', weightDecay: 0 }] });
 * adamW.step(model);
 */
export class AdamW extends Optimizer<AdamHyperparameters> {
  constructor(options: AdamWOptions = {}) {
    super(adamWRule, options);
  }
}
