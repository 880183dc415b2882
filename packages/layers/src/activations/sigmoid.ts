import type { LayerConfig } from '@annet/layer-api';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';

/**
 * Logistic sigmoid: y = 1 / (1 + e^(−x)), dy/dx = y(1 − y). Evaluated as eˣ/(1 + eˣ) for x < 0 so
 * large negative inputs do not overflow.
 *
 * @example
 * new Sigmoid().forward(tensor([[0]])); // [[0.5]]
 */
export class Sigmoid extends ElementwiseActivation {
  constructor(options: LayerOptions = {}) {
    super('Sigmoid', 'sigmoid', options);
  }

  /** Rebuilds a Sigmoid from {@link Sigmoid.getConfig}. */
  static fromConfig(config: LayerConfig): Sigmoid {
    return new Sigmoid(config as LayerOptions);
  }

  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    for (let index = 0; index < size; index++) {
      const x = input[inputOffset + index];
      if (x >= 0) {
        output[index] = 1 / (1 + Math.exp(-x));
      } else {
        const exponential = Math.exp(x);
        output[index] = exponential / (1 + exponential);
      }
    }
  }

  protected differentiate(
    _input: FloatData,
    _inputOffset: number,
    output: FloatData,
    outputGradient: FloatData,
    gradientOffset: number,
    inputGradient: FloatData,
    size: number,
  ): void {
    for (let index = 0; index < size; index++) {
      const y = output[index];
      inputGradient[index] = y * (1 - y) * outputGradient[gradientOffset + index];
    }
  }
}
