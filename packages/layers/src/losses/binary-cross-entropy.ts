import type { Tensor } from '@annet/tensor';
import { elementwiseLoss, type ElementwiseLossKernel, type LossOptions, type LossResult } from './loss.js';

/** Σ max(x, 0) − x·t + log(1 + e^(−|x|)), gradient scale·(σ(x) − t). */
const logitCrossEntropy: ElementwiseLossKernel = (p, pOffset, t, tOffset, gradient, gradientOffset, size, scale) => {
  let sum = 0;
  for (let index = 0; index < size; index++) {
    const x = p[pOffset + index];
    const target = t[tOffset + index];
    const exponential = Math.exp(-Math.abs(x));
    sum += (x > 0 ? x : 0) - x * target + Math.log1p(exponential);
    const probability = x >= 0 ? 1 / (1 + exponential) : exponential / (1 + exponential);
    gradient[gradientOffset + index] = scale * (probability - target);
  }
  return sum;
};

/**
 * Binary cross-entropy from logits (PyTorch's `BCEWithLogitsLoss`), averaged over all n
 * elements (`'sum'`: without 1/n). With σ the sigmoid, logit x and target t ∈ [0, 1]:
 * ℓ = −t·log σ(x) − (1 − t)·log(1 − σ(x)), computed stably as max(x, 0) − x·t + log(1 + e^(−|x|));
 * dℓ/dx = σ(x) − t.
 *
 * @example
 * binaryCrossEntropy(tensor([[0]]), tensor([[1]])).loss; // log 2
 */
export function binaryCrossEntropy(predictions: Tensor, targets: Tensor, options: LossOptions = {}): LossResult {
  return elementwiseLoss('binaryCrossEntropy', predictions, targets, options, logitCrossEntropy);
}
