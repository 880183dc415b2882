import type { Tensor } from '@annet/tensor';
import { gradientBuffer, readMatchingTargets, readPredictions, readReduction, type LossOptions, type LossResult } from './loss.js';

/**
 * Mean squared error: L = (1/n) Σᵢ (pᵢ − tᵢ)² over all n elements (`'sum'`: without 1/n);
 * dL/dpᵢ = (2/n)(pᵢ − tᵢ).
 *
 * @example
 * meanSquaredError(tensor([[1, 2]]), tensor([[0, 4]])).loss; // (1 + 4) / 2 = 2.5
 */
export function meanSquaredError(predictions: Tensor, targets: Tensor, options: LossOptions = {}): LossResult {
  const operation = 'meanSquaredError';
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
    sum += difference * difference;
    gData[gradient.offset + index] = 2 * scale * difference;
  }
  return { loss: sum * scale, gradient };
}
