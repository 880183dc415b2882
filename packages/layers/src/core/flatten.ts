import type { LayerConfig } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { inputShapeError } from '../layer-errors.js';
import { ViewCache } from './view-cache.js';

/**
 * Flattens all but the batch axis: [N, d₁, …, dₖ] → [N, d₁·…·dₖ]. A view of a contiguous input
 * (a copy otherwise); backward reshapes the gradient back, also as a view.
 *
 * @example
 * new Flatten().forward(zeros([32, 1, 28, 28])).shape; // [32, 784]
 */
export class Flatten extends BaseLayer {
  private readonly forwardViews = new ViewCache();
  private readonly backwardViews = new ViewCache();
  private output: Tensor | undefined;

  constructor(options: LayerOptions = {}) {
    super('Flatten', 'flatten', options);
  }

  /** Rebuilds a Flatten from {@link Flatten.getConfig}. */
  static fromConfig(config: LayerConfig): Flatten {
    return new Flatten(config as LayerOptions);
  }

  /** [N, …] → [N, product of the rest]. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    this.lastTraining = options?.training ?? false;
    const output = this.forwardViews.lookup(input) ?? this.forwardViews.store(input, input.reshape(this.outputShape(input.shape)));
    this.lastInput = input;
    this.output = output;
    return output;
  }

  /** The gradient reshaped to the input's shape. */
  backward(outputGradient: Tensor): Tensor {
    const input = this.checkBackward(outputGradient, this.output?.shape ?? [], this.output?.dtype ?? this.dtype);
    return this.backwardViews.lookup(outputGradient) ?? this.backwardViews.store(outputGradient, outputGradient.reshape(input.shape));
  }

  /** [N, d₁, …, dₖ] → [N, d₁·…·dₖ]. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 1) throw inputShapeError(this.operation, '[N, ...]', inputShape);
    return [inputShape[0], inputShape.slice(1).reduce((product, dimension) => product * dimension, 1)];
  }
}
