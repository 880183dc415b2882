import { lossFromName, type LossFunction } from '@annet/layers';
import { residentZeros, shapesEqual, type FloatDType, type Tensor } from '@annet/tensor';

/**
 * A loss by registry name (such as `'softmaxCrossEntropy'`) or as a function from `@annet/layers`.
 *
 * @example
 * const loss: LossSpec = 'softmaxCrossEntropy'; // or meanSquaredError from @annet/layers
 */
export type LossSpec = string | LossFunction;

/**
 * The loss function for a spec.
 *
 * @example
 * resolveLoss('meanSquaredError'); // the meanSquaredError function of @annet/layers
 */
export function resolveLoss(spec: LossSpec): LossFunction {
  return typeof spec === 'function' ? spec : lossFromName(spec);
}

/**
 * Computes a loss with its gradient written into a tensor kept across calls (reallocated only
 * when the batch shape changes), so a steady-state step allocates no gradient memory. The tensor
 * is resident (`residentZeros`: in the WebAssembly kernels' memory when they have a shared one),
 * so softmax cross-entropy runs in SIMD and the last layer's products read the gradient in place.
 *
 * @example
 * const loss = new LossComputer('softmaxCrossEntropy');
 * model.backward(loss.compute(model.forward(inputs, { training: true }), targets).gradient);
 */
export class LossComputer {
  readonly loss: LossFunction;
  private gradient: Tensor | undefined;
  /** The options of the loss call, rebuilt only with the gradient buffer (an object per call would be garbage per step). */
  private options: { readonly reduction: 'mean'; readonly out: Tensor } | undefined;

  constructor(spec: LossSpec) {
    this.loss = resolveLoss(spec);
  }

  /** The mean loss of a batch and dLoss/dPredictions (a reused buffer). */
  compute(predictions: Tensor, targets: Tensor): { readonly loss: number; readonly gradient: Tensor } {
    const current = this.gradient;
    if (
      current === undefined ||
      current.dtype !== predictions.dtype ||
      !shapesEqual(current.shape, predictions.shape)
    ) {
      this.gradient = residentZeros(predictions.shape, predictions.dtype as FloatDType);
      this.options = { reduction: 'mean', out: this.gradient };
    }
    return this.loss(predictions, targets, this.options);
  }
}
