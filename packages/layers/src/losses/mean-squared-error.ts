import type { Tensor } from '@annet/tensor';
import { elementwiseLoss, type ElementwiseLossKernel, type LossOptions, type LossResult } from './loss.js';

/** Σ (p − t)², gradient 2·scale·(p − t). */
const squaredError: ElementwiseLossKernel = (
  p,
  pOffset,
  t,
  tOffset,
  gradient,
  gradientOffset,
  size,
  scale,
  _parameter,
  losses,
) => {
  let sum = 0;
  for (let index = 0; index < size; index++) {
    const difference = p[pOffset + index] - t[tOffset + index];
    const loss = difference * difference;
    sum += loss;
    if (losses !== undefined) losses[index] = loss;
    gradient[gradientOffset + index] = 2 * scale * difference;
  }
  return sum;
};

/**
 * Mean squared error: L = (1/n) Σᵢ (pᵢ − tᵢ)² over all n elements (`'sum'`: without 1/n; `'none'`: each (pᵢ − tᵢ)² in `losses`);
 * dL/dpᵢ = (2/n)(pᵢ − tᵢ).
 *
 * @example
 * meanSquaredError(tensor([[1, 2]]), tensor([[0, 4]])).loss; // (1 + 4) / 2 = 2.5
 */
export function meanSquaredError(predictions: Tensor, targets: Tensor, options: LossOptions = {}): LossResult {
  return elementwiseLoss('meanSquaredError', predictions, targets, options, squaredError, 0);
}
