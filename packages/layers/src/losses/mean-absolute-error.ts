import type { Tensor } from '@annet/tensor';
import { elementwiseLoss, type ElementwiseLossKernel, type LossOptions, type LossResult } from './loss.js';

/** Σ |p − t|, gradient scale·sign(p − t) (0 where p = t). */
const absoluteError: ElementwiseLossKernel = (
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
    const loss = Math.abs(difference);
    sum += loss;
    if (losses !== undefined) losses[index] = loss;
    gradient[gradientOffset + index] = difference > 0 ? scale : difference < 0 ? -scale : 0;
  }
  return sum;
};

/**
 * Mean absolute error: L = (1/n) Σᵢ |pᵢ − tᵢ| over all n elements (`'sum'`: without 1/n; `'none'`: each |pᵢ − tᵢ| in `losses`);
 * dL/dpᵢ = sign(pᵢ − tᵢ)/n, taken as 0 where pᵢ = tᵢ.
 *
 * @example
 * meanAbsoluteError(tensor([[1, 2]]), tensor([[0, 4]])).loss; // (1 + 2) / 2 = 1.5
 */
export function meanAbsoluteError(predictions: Tensor, targets: Tensor, options: LossOptions = {}): LossResult {
  return elementwiseLoss('meanAbsoluteError', predictions, targets, options, absoluteError, 0);
}
