import type { LayerConfig } from '@annet/layer-api';
import type { LayerOptions } from '../base-layer.js';
import { inputShapeError } from '../layer-errors.js';
import { ReshapingLayer } from './reshaping-layer.js';

/**
 * Flattens all but the batch axis: [N, d₁, …, dₖ] → [N, d₁·…·dₖ]. A view of a contiguous input
 * (a copy otherwise); backward reshapes the gradient back, also as a view.
 *
 * @example
 * new Flatten().forward(zeros([32, 1, 28, 28])).shape; // [32, 784]
 */
export class Flatten extends ReshapingLayer {
  constructor(options: LayerOptions = {}) {
    super('Flatten', 'flatten', options);
  }

  /** Rebuilds a Flatten from {@link Flatten.getConfig}. */
  static fromConfig(config: LayerConfig): Flatten {
    return new Flatten(config as LayerOptions);
  }

  /** [N, d₁, …, dₖ] → [N, d₁·…·dₖ]. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 1) throw inputShapeError(this.operation, '[N,...]', inputShape);
    return [inputShape[0], inputShape.slice(1).reduce((product, dimension) => product * dimension, 1)];
  }
}
