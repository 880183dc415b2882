import type { LayerConfig } from '@annet/layer-api';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';

/**
 * Hyperbolic tangent: y = tanh x, dy/dx = 1 − y².
 *
 * @example
 * new Tanh().forward(tensor([[0, 1]])); // [[0, 0.7616…]]
 */
export class Tanh extends ElementwiseActivation {
  constructor(options: LayerOptions = {}) {
    super('Tanh', 'tanh', options);
  }

  /** Rebuilds a Tanh from {@link Tanh.getConfig}. */
  static fromConfig(config: LayerConfig): Tanh {
    return new Tanh(config as LayerOptions);
  }

  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    for (let index = 0; index < size; index++) output[index] = Math.tanh(input[inputOffset + index]);
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
      inputGradient[index] = (1 - y * y) * outputGradient[gradientOffset + index];
    }
  }
}
