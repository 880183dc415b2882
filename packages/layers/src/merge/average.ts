import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/**
 * Mean of its k inputs: y = (x₁ + … + xₖ) / k, so ∂L/∂xᵢ = (∂L/∂y) / k for every input (one
 * buffer, returned k times).
 *
 * @example
 * new Average().forward([tensor([1, 2]), tensor([3, 6])]); // [2, 4]
 */
export class Average extends ElementwiseMerge {
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('Average', 'average', options);
  }

  /** Rebuilds an Average from {@link Average.getConfig}. */
  static fromConfig(config: LayerConfig): Average {
    return new Average(config as LayerOptions);
  }

  protected combine(inputs: readonly Tensor[], output: FloatData, size: number): void {
    output.fill(0, 0, size);
    for (const input of inputs) {
      const values = floatData(input);
      for (let index = 0; index < size; index++) output[index] += values[input.offset + index];
    }
    const count = inputs.length;
    for (let index = 0; index < size; index++) output[index] /= count;
  }

  /** ∂L/∂xᵢ = (∂L/∂y) / k. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    const inputs = this.inputsForBackward(outputGradient, this.output);
    const gradient = contiguousInput(outputGradient);
    const scaled = this.workspace.buffer('scaled', gradient.dtype as 'float32' | 'float64', gradient.shape);
    const source = floatData(gradient);
    const target = floatData(scaled);
    const count = inputs.length;
    for (let index = 0; index < scaled.size; index++) target[index] = source[gradient.offset + index] / count;
    this.gradients.length = 0;
    for (let index = 0; index < inputs.length; index++) this.gradients.push(scaled);
    return this.gradients;
  }
}
