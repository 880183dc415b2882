import { AnnetError, type Tensor } from '@annet/tensor';
import { readClassWeights, type ClassWeights } from './class-weights.js';
import {
  elementwiseLoss,
  readReduction,
  type ElementwiseLossKernel,
  type LossOptions,
  type LossResult,
} from './loss.js';

/**
 * Options of {@link binaryCrossEntropy}: PyTorch's `BCEWithLogitsLoss` weights and Keras's
 * label smoothing.
 *
 * @example
 * binaryCrossEntropy(logits, targets, { positiveWeight: [3, 1] }); // positives of class 0 count 3 times
 */
export interface BinaryCrossEntropyOptions extends LossOptions {
  /**
   * P_c ≥ 0 per class of the last axis, or one number for all (PyTorch's `pos_weight`): the
   * positive term −t·log σ(x) is multiplied by P_c; P = #negatives / #positives balances a rare class.
   */
  readonly positiveWeight?: ClassWeights | number;
  /** w_c ≥ 0 per class of the last axis, or one number for all (PyTorch's `weight`): multiplies ℓ. */
  readonly weight?: ClassWeights | number;
  /** ε in [0, 1] (Keras's `label_smoothing`): the target becomes t·(1 − ε) + ε/2. Default 0. */
  readonly labelSmoothing?: number;
}

/** The checked weights of the weighted kernel; `classes` is the length of the last axis. */
interface BinaryWeights {
  readonly classes: number;
  readonly positiveWeight: Float64Array | undefined;
  readonly weight: Float64Array | undefined;
  readonly smoothing: number;
}

/** Σ max(x, 0) − x·t + log(1 + e^(−|x|)), gradient scale·(σ(x) − t). */
const logitCrossEntropy: ElementwiseLossKernel = (
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
    const x = p[pOffset + index];
    const target = t[tOffset + index];
    const exponential = Math.exp(-Math.abs(x));
    const loss = (x > 0 ? x : 0) - x * target + Math.log1p(exponential);
    sum += loss;
    if (losses !== undefined) losses[index] = loss;
    const probability = x >= 0 ? 1 / (1 + exponential) : exponential / (1 + exponential);
    gradient[gradientOffset + index] = scale * (probability - target);
  }
  return sum;
};

/**
 * Σ w·((1 − t)·x + (P·t + 1 − t)·softplus(−x)) with softplus(−x) = max(−x, 0) + log(1 + e^(−|x|))
 * (= −log σ(x)), gradient scale·w·(σ(x)·(1 − t + P·t) − P·t); the class c of an element is its
 * index modulo the length of the last axis.
 */
const weightedLogitCrossEntropy: ElementwiseLossKernel<BinaryWeights> = (
  p,
  pOffset,
  t,
  tOffset,
  gradient,
  gradientOffset,
  size,
  scale,
  weights,
  losses,
) => {
  const { classes, positiveWeight, weight, smoothing } = weights;
  let sum = 0;
  for (let index = 0, c = 0; index < size; index++) {
    const x = p[pOffset + index];
    const target = smoothing === 0 ? t[tOffset + index] : t[tOffset + index] * (1 - smoothing) + smoothing / 2;
    const positive = positiveWeight === undefined ? target : positiveWeight[c] * target;
    const scaleOfClass = weight === undefined ? 1 : weight[c];
    const exponential = Math.exp(-Math.abs(x));
    const softplusOfNegative = (x < 0 ? -x : 0) + Math.log1p(exponential);
    const loss = scaleOfClass * ((1 - target) * x + (positive + 1 - target) * softplusOfNegative);
    sum += loss;
    if (losses !== undefined) losses[index] = loss;
    const probability = x >= 0 ? 1 / (1 + exponential) : exponential / (1 + exponential);
    gradient[gradientOffset + index] = scale * scaleOfClass * (probability * (1 - target + positive) - positive);
    c = c + 1 === classes ? 0 : c + 1;
  }
  return sum;
};

/**
 * Binary cross-entropy from logits (PyTorch's `BCEWithLogitsLoss`), averaged over all n
 * elements (`'sum'`: without 1/n; `'none'`: each ℓ in `losses`, shaped like the logits). With σ
 * the sigmoid, logit x and target t ∈ [0, 1]: ℓ = −t·log σ(x) − (1 − t)·log(1 − σ(x)),
 * computed stably as max(x, 0) − x·t + log(1 + e^(−|x|)); dℓ/dx = σ(x) − t. With a positive
 * weight P and a weight w for the element's class (last axis) and smoothing ε, t ← t(1 − ε) + ε/2
 * and ℓ = w·(−P·t·log σ(x) − (1 − t)·log(1 − σ(x))), dℓ/dx = w·(σ(x)·(1 − t + P·t) − P·t). As in
 * PyTorch, `'mean'` divides by n whatever the weights.
 *
 * @example
 * binaryCrossEntropy(tensor([[0]]), tensor([[1]])).loss; // log 2
 */
export function binaryCrossEntropy(
  predictions: Tensor,
  targets: Tensor,
  options: BinaryCrossEntropyOptions = {},
): LossResult {
  const operation = 'binaryCrossEntropy';
  if (options.positiveWeight === undefined && options.weight === undefined && (options.labelSmoothing ?? 0) === 0) {
    return elementwiseLoss(operation, predictions, targets, options, logitCrossEntropy, 0);
  }
  readReduction(operation, options);
  const smoothing = options.labelSmoothing ?? 0;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing <= 1)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `labelSmoothing must be a number in [0, 1], got ${String(smoothing)}`,
    );
  }
  const shape = predictions.shape;
  const classes = shape.length === 0 ? 1 : shape[shape.length - 1];
  const weights: BinaryWeights = {
    classes,
    positiveWeight: readClassWeights(operation, 'positiveWeight', options.positiveWeight, classes),
    weight: readClassWeights(operation, 'weight', options.weight, classes),
    smoothing,
  };
  return elementwiseLoss(operation, predictions, targets, options, weightedLogitCrossEntropy, weights);
}
