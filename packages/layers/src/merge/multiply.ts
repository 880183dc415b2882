import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/**
 * Elementwise product of its inputs: y = x₁ · x₂ · … · xₖ, so ∂L/∂xᵢ = ∂L/∂y · Πⱼ≠ᵢ xⱼ (the
 * product of the others, computed directly rather than as y / xᵢ, which fails where xᵢ = 0).
 * Gating (`x · sigmoid(g)`) is `Multiply` of `x` and a Sigmoid branch.
 *
 * @example
 * new Multiply().forward([tensor([2, 3]), tensor([4, 5])]); // [8, 15]
 */
export class Multiply extends ElementwiseMerge {
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('Multiply', 'multiply', options);
  }

  /** Rebuilds a Multiply from {@link Multiply.getConfig}. */
  static fromConfig(config: LayerConfig): Multiply {
    return new Multiply(config as LayerOptions);
  }

  protected combine(inputs: readonly Tensor[], output: FloatData, size: number): void {
    const first = floatData(inputs[0]);
    for (let index = 0; index < size; index++) output[index] = first[inputs[0].offset + index];
    for (let input = 1; input < inputs.length; input++) {
      const values = floatData(inputs[input]);
      const offset = inputs[input].offset;
      for (let index = 0; index < size; index++) output[index] *= values[offset + index];
    }
  }

  /** ∂L/∂xᵢ = ∂L/∂y · Πⱼ≠ᵢ xⱼ, one buffer per input. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    this.inputsForBackward(outputGradient, this.output);
    const inputs = this.inputs;
    const gradient = contiguousInput(outputGradient);
    const source = floatData(gradient);
    this.gradients.length = 0;
    for (let input = 0; input < inputs.length; input++) {
      const buffer = this.workspace.buffer(
        `inputGradient${input}`,
        gradient.dtype as 'float32' | 'float64',
        gradient.shape,
      );
      const target = floatData(buffer);
      for (let index = 0; index < buffer.size; index++) target[index] = source[gradient.offset + index];
      for (let other = 0; other < inputs.length; other++) {
        if (other === input) continue;
        const values = floatData(inputs[other]);
        const offset = inputs[other].offset;
        for (let index = 0; index < buffer.size; index++) target[index] *= values[offset + index];
      }
      this.gradients.push(buffer);
    }
    return this.gradients;
  }
}
