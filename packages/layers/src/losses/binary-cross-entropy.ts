import type { Tensor } from '@annet/tensor';
import { gradientBuffer, readMatchingTargets, readPredictions, readReduction, type LossOptions, type LossResult } from './loss.js';

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
  const operation = 'binaryCrossEntropy';
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
    const x = pData[p.offset + index];
    const target = tData[t.offset + index];
    const exponential = Math.exp(-Math.abs(x));
    sum += (x > 0 ? x : 0) - x * target + Math.log1p(exponential);
    const probability = x >= 0 ? 1 / (1 + exponential) : exponential / (1 + exponential);
    gData[gradient.offset + index] = scale * (probability - target);
  }
  return { loss: sum * scale, gradient };
}
