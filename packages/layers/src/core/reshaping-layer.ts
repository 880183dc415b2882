import type { Tensor } from '@annet/tensor';
import { BaseLayer } from '../base-layer.js';

/**
 * The base of layers that only change the shape of each sample (Flatten, Reshape): forward
 * returns the input viewed with {@link BaseLayer.outputShape}'s shape (a view of a contiguous
 * input, a copy otherwise), backward the gradient viewed with the input's shape. The views are
 * workspace views, kept per source tensor, so a step with reused buffers allocates nothing.
 *
 * @example
 * class Squeeze2 extends ReshapingLayer {
 *   constructor() { super('Squeeze2', 'squeeze2'); }
 *   outputShape(shape: readonly number[]) { return [shape[0], shape[1]]; }
 * }
 */
export abstract class ReshapingLayer extends BaseLayer {
  /** The input viewed with the output shape. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    const output =
      this.workspace.view('output', input) ??
      this.workspace.keepView('output', input, input.reshape(this.outputShape(input.shape)));
    this.recordForward(input, options);
    return output;
  }

  /** The gradient reshaped to the input's shape. */
  backward(outputGradient: Tensor): Tensor {
    const input = this.checkBackwardAgainst(outputGradient, this.workspace.current('output'));
    return (
      this.workspace.view('inputGradient', outputGradient) ??
      this.workspace.keepView('inputGradient', outputGradient, outputGradient.reshape(input.shape))
    );
  }
}
