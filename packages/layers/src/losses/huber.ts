import { AnnetError, type Tensor } from '@annet/tensor';
import {
  elementwiseLoss,
  readReduction,
  type ElementwiseLossKernel,
  type LossOptions,
  type LossResult,
} from './loss.js';

/**
 * Options of {@link huber}.
 *
 * @example
 * huber(predictions, targets, { delta: 0.5 });
 */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear; default 1. */
  readonly delta?: number;
}

/** Σ ℓ(p − t) with δ = `delta`, gradient scale·dℓ/dd. */
const huberKernel: ElementwiseLossKernel = (
  p,
  pOffset,
  t,
  tOffset,
  gradient,
  gradientOffset,
  size,
  scale,
  delta,
  losses,
) => {
  let sum = 0;
  for (let index = 0; index < size; index++) {
    const difference = p[pOffset + index] - t[tOffset + index];
    const magnitude = Math.abs(difference);
    let loss: number;
    if (magnitude <= delta) {
      loss = 0.5 * difference * difference;
      gradient[gradientOffset + index] = scale * difference;
    } else {
      loss = delta * (magnitude - 0.5 * delta);
      gradient[gradientOffset + index] = difference > 0 ? scale * delta : -scale * delta;
    }
    sum += loss;
    if (losses !== undefined) losses[index] = loss;
  }
  return sum;
};

/**
 * Huber loss (Huber, 1964), averaged over all n elements (`'sum'`: without 1/n; `'none'`: each ℓ in `losses`). With d = p − t:
 * ℓ(d) = ½d² for |d| ≤ δ and δ(|d| − ½δ) otherwise; dℓ/dd = d, or δ·sign(d).
 *
 * @example
 * huber(tensor([[0, 0]]), tensor([[0.5, 3]])).loss; // (0.125 + 2.5) / 2 = 1.3125
 */
export function huber(predictions: Tensor, targets: Tensor, options: HuberOptions = {}): LossResult {
  const operation = 'huber';
  readReduction(operation, options);
  const delta = options.delta ?? 1;
  if (!(delta > 0) || !Number.isFinite(delta)) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `delta must be a positive finite number, got ${delta}`);
  }
  return elementwiseLoss(operation, predictions, targets, options, huberKernel, delta);
}
