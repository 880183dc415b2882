import type { FloatDType } from '@annet/layer-api';
import { AnnetError, formatShape, shapesEqual, zeros, type Tensor } from '@annet/tensor';
import { contiguousInput, type FloatData } from '../buffers.js';

/**
 * Options of every loss.
 *
 * @example
 * const gradient = zeros([32, 10]);
 * softmaxCrossEntropy(logits, labels, { reduction: 'mean', out: gradient }); // allocation-free
 */
export interface LossOptions {
  /**
   * `'mean'` (default) averages, `'sum'` adds, `'none'` keeps one loss per sample in
   * {@link LossResult.losses} (each loss says over what it averages and what a sample is). A
   * `'mean'` over nothing (an empty batch, or every target ignored) is an error, not 0 or NaN.
   */
  readonly reduction?: LossReduction;
  /** Where to write the gradient (same shape and dtype as the predictions); a new tensor otherwise. */
  readonly out?: Tensor;
}

/**
 * How a loss combines its per-sample values (PyTorch's `reduction`).
 *
 * @example
 * const reduction: LossReduction = 'none'; // per-sample losses
 */
export type LossReduction = 'mean' | 'sum' | 'none';

/**
 * What a loss returns: its value and its gradient with respect to the predictions.
 *
 * @example
 * const { loss, gradient } = meanSquaredError(predictions, targets);
 * model.backward(gradient);
 */
export interface LossResult {
  /** The reduced loss; with `'none'`, the sum of {@link LossResult.losses}. */
  readonly loss: number;
  /**
   * dLoss/dPredictions, shaped like the predictions (the `out` tensor when one was given). With
   * `'none'` it is the gradient of the sum, that is each sample's own dℓₙ/dPredictions (PyTorch's
   * `losses.backward(torch.ones_like(losses))`).
   */
  readonly gradient: Tensor;
  /** The per-sample losses, with `reduction: 'none'` only (a new tensor in the predictions' dtype). */
  readonly losses?: Tensor;
}

/**
 * A loss: value and gradient with respect to the predictions in one pass.
 *
 * @example
 * const loss: LossFunction = meanSquaredError;
 */
export type LossFunction = (predictions: Tensor, targets: Tensor, options?: LossOptions) => LossResult;

/**
 * Checks the reduction option and returns it.
 *
 * @example
 * const reduction = readReduction('huber', options); // 'mean' by default
 */
export function readReduction(operation: string, options: LossOptions): LossReduction {
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
    );
  }
  return reduction;
}

/**
 * The factor a loss's sum is multiplied by: 1/`denominator` for `'mean'`, 1 otherwise. A mean
 * whose denominator is not positive is refused (PyTorch returns NaN); `what` names the
 * denominator for the message (a constant, so a call allocates nothing).
 *
 * @example
 * const scale = reductionScale('meanSquaredError', 'mean', p.size, 'the number of elements'); // 1 / p.size
 */
export function reductionScale(operation: string, reduction: LossReduction, denominator: number, what: string): number {
  if (reduction !== 'mean') return 1;
  if (!(denominator > 0)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `reduction 'mean' divides by ${what}, which is ${denominator}; pass a batch with at least one counted sample, or use reduction 'sum'`,
    );
  }
  return 1 / denominator;
}

/**
 * Checks that predictions are float and returns them contiguous.
 *
 * @example
 * const p = readPredictions('meanSquaredError', predictions);
 */
export function readPredictions(operation: string, predictions: Tensor): Tensor<FloatDType> {
  if (predictions.dtype !== 'float32' && predictions.dtype !== 'float64') {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `expected float32 or float64 predictions, got ${predictions.dtype}`,
    );
  }
  return contiguousInput(predictions) as Tensor<FloatDType>;
}

/**
 * Checks that targets have the predictions' shape and a float dtype; returns them contiguous.
 *
 * @example
 * const t = readMatchingTargets('meanSquaredError', p, targets);
 */
export function readMatchingTargets(operation: string, predictions: Tensor, targets: Tensor): Tensor<FloatDType> {
  if (!shapesEqual(predictions.shape, targets.shape)) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected targets shaped like the predictions ${formatShape(predictions.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  if (targets.dtype !== 'float32' && targets.dtype !== 'float64') {
    throw new AnnetError('DTYPE_MISMATCH', operation, `expected float32 or float64 targets, got ${targets.dtype}`);
  }
  return contiguousInput(targets) as Tensor<FloatDType>;
}

/**
 * The gradient tensor: `out` after checking it, or a new one shaped like the predictions.
 *
 * @example
 * const gradient = gradientBuffer('meanSquaredError', p, options.out);
 */
export function gradientBuffer(
  operation: string,
  predictions: Tensor<FloatDType>,
  out: Tensor | undefined,
): Tensor<FloatDType> {
  if (out === undefined) return zeros(predictions.shape, predictions.dtype);
  if (!shapesEqual(out.shape, predictions.shape) || out.dtype !== predictions.dtype || !out.isContiguous) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected out to be a contiguous ${predictions.dtype} tensor of shape ${formatShape(predictions.shape)}, got ${out.dtype} ${formatShape(out.shape)}${out.isContiguous ? '' : ' (not contiguous)'}`,
    );
  }
  return out as Tensor<FloatDType>;
}

/**
 * The loop of an elementwise loss: for `i < size`, reads prediction `p[pOffset + i]` and target
 * `t[tOffset + i]`, writes `scale`·dℓ/dp into `gradient[gradientOffset + i]`, writes ℓ into
 * `losses[i]` when `losses` is given (reduction `'none'`) and returns Σ ℓ (unscaled).
 * `parameter` is a loss-specific constant (huber's δ, binary cross-entropy's weights).
 *
 * @example
 * const squared: ElementwiseLossKernel = (p, pOffset, t, tOffset, gradient, gradientOffset, size, scale) => 0; // returns the summed loss
 */
export type ElementwiseLossKernel<Parameter = number> = (
  p: FloatData,
  pOffset: number,
  t: FloatData,
  tOffset: number,
  gradient: FloatData,
  gradientOffset: number,
  size: number,
  scale: number,
  parameter: Parameter,
  losses: FloatData | undefined,
) => number;

/**
 * The scaffold every elementwise loss shares: checks the reduction, predictions and targets,
 * takes the gradient buffer, runs `kernel` once over all n elements with scale 1/n (`'mean'`;
 * refused for n = 0) or 1 (`'sum'`, `'none'`), and returns `{ loss: scale · Σ ℓ, gradient }`,
 * with the per-element losses (shaped like the predictions) for `'none'`.
 *
 * @example
 * return elementwiseLoss('meanSquaredError', predictions, targets, options, squaredErrorKernel, 0);
 */
export function elementwiseLoss<Parameter>(
  operation: string,
  predictions: Tensor,
  targets: Tensor,
  options: LossOptions,
  kernel: ElementwiseLossKernel<Parameter>,
  parameter: Parameter,
): LossResult {
  const reduction = readReduction(operation, options);
  const p = readPredictions(operation, predictions);
  const t = readMatchingTargets(operation, p, targets);
  const scale = reductionScale(operation, reduction, p.size, 'the number of elements');
  const gradient = gradientBuffer(operation, p, options.out);
  const losses = reduction === 'none' ? zeros(p.shape, p.dtype) : undefined;
  const sum = kernel(
    p.data,
    p.offset,
    t.data,
    t.offset,
    gradient.data,
    gradient.offset,
    p.size,
    scale,
    parameter,
    losses?.data as FloatData | undefined,
  );
  return losses === undefined ? { loss: sum * scale, gradient } : { loss: sum, gradient, losses };
}
