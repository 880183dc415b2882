import { AnnetError, type Tensor } from '@annet/tensor';
import { gradientBuffer, readMatchingTargets, readPredictions, readReduction, type LossOptions, type LossResult } from './loss.js';

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

/**
 * Huber loss (Huber, 1964), averaged over all n elements (`'sum'`: without 1/n). With d = p − t:
 * ℓ(d) = ½d² for |d| ≤ δ and δ(|d| − ½δ) otherwise; dℓ/dd = d, or δ·sign(d).
 *
 * @example
 * huber(tensor([[0, 0]]), tensor([[0.5, 3]])).loss; // (0.125 + 2.5) / 2 = 1.3125
 */
export function huber(predictions: Tensor, targets: Tensor, options: HuberOptions = {}): LossResult {
  const operation = 'huber';
  const reduction = readReduction(operation, options);
  const delta = options.delta ?? 1;
  if (!(delta > 0) || !Number.isFinite(delta)) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `delta must be a positive finite number, got ${delta}`);
  }
  const p = readPredictions(operation, predictions);
  const t = readMatchingTargets(operation, p, targets);
  const gradient = gradientBuffer(operation, p, options.out);
  const scale = reduction === 'mean' && p.size > 0 ? 1 / p.size : 1;
  const pData = p.data;
  const tData = t.data;
  const gData = gradient.data;
  let sum = 0;
  for (let index = 0; index < p.size; index++) {
    const difference = pData[p.offset + index] - tData[t.offset + index];
    const magnitude = Math.abs(difference);
    if (magnitude <= delta) {
      sum += 0.5 * difference * difference;
      gData[gradient.offset + index] = scale * difference;
    } else {
      sum += delta * (magnitude - 0.5 * delta);
      gData[gradient.offset + index] = difference > 0 ? scale * delta : -scale * delta;
    }
  }
  return { loss: sum * scale, gradient };
}
