import type { Tensor } from '@annet/tensor';
import { gradientBuffer, readMatchingTargets, readPredictions, readReduction, type LossOptions, type LossResult } from './loss.js';

/**
 * Mean absolute error: L = (1/n) Σᵢ |pᵢ − tᵢ| over all n elements (`'sum'`: without 1/n);
 * dL/dpᵢ = sign(pᵢ − tᵢ)/n, taken as 0 where pᵢ = tᵢ.
 *
 * @example
 * meanAbsoluteError(tensor([[1, 2]]), tensor([[0, 4]])).loss; // (1 + 2) / 2 = 1.5
 */
export function meanAbsoluteError(predictions: Tensor, targets: Tensor, options: LossOptions = {}): LossResult {
  const operation = 'meanAbsoluteError';
  const reduction = readReduction(operation, options);
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
    sum += Math.abs(difference);
    gData[gradient.offset + index] = difference > 0 ? scale : difference < 0 ? -scale : 0;
  }
  return { loss: sum * scale, gradient };
}
