import type { LayerConfig } from '@annet/layer-api';
import type { LayerOptions } from '../base-layer.js';
import type { FloatData } from '../buffers.js';
import { ElementwiseActivation } from './elementwise-activation.js';

/**
 * Rectified linear unit: y = max(0, x), dy/dx = 1 for x > 0 and 0 otherwise (0 at x = 0, as in
 * PyTorch).
 *
 * @example
 * const relu = new ReLU();
 * relu.forward(tensor([[-1, 2]])); // [[0, 2]]
 */
export class ReLU extends ElementwiseActivation {
  constructor(options: LayerOptions = {}) {
    super('ReLU', 'relu', options);
  }

  /** Rebuilds a ReLU from {@link ReLU.getConfig}. */
  static fromConfig(config: LayerConfig): ReLU {
    return new ReLU(config as LayerOptions);
  }

  protected activate(input: FloatData, inputOffset: number, output: FloatData, size: number): void {
    for (let index = 0; index < size; index++) {
      const value = input[inputOffset + index];
      output[index] = value > 0 ? value : 0;
    }
  }

  protected differentiate(input: FloatData, inputOffset: number, _output: FloatData, outputGradient: FloatData, gradientOffset: number, inputGradient: FloatData, size: number): void {
    for (let index = 0; index < size; index++) {
      inputGradient[index] = input[inputOffset + index] > 0 ? outputGradient[gradientOffset + index] : 0;
    }
  }
}
