import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import { addResident, type Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { floatData, type FloatData } from '../buffers.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/**
 * Sum of its inputs: y = x₁ + x₂ + … + xₖ, so ∂L/∂xᵢ = ∂L/∂y for every input (backward returns
 * the output gradient itself, k times). A residual connection is `Add` of `x` and `f(x)`.
 *
 * @example
 * new Add().forward([tensor([1, 2]), tensor([10, 20])]); // [11, 22]
 */
export class Add extends ElementwiseMerge {
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('Add', 'add', options);
  }

  /** Rebuilds an Add from {@link Add.getConfig}. */
  static fromConfig(config: LayerConfig): Add {
    return new Add(config as LayerOptions);
  }

  protected combine(inputs: readonly Tensor[], output: FloatData, size: number): void {
    const first = floatData(inputs[0]);
    const firstOffset = inputs[0].offset;
    const second = floatData(inputs[1]);
    const secondOffset = inputs[1].offset;
    // The first two in one pass (a residual connection has exactly two; in WebAssembly SIMD when
    // resident, with the same bits), then any others.
    const resident =
      output instanceof Float32Array &&
      firstOffset === 0 &&
      secondOffset === 0 &&
      addResident(first as Float32Array, second as Float32Array, output, size);
    if (!resident)
      for (let index = 0; index < size; index++)
        output[index] = first[firstOffset + index] + second[secondOffset + index];
    for (let input = 2; input < inputs.length; input++) {
      const values = floatData(inputs[input]);
      const offset = inputs[input].offset;
      for (let index = 0; index < size; index++) output[index] += values[offset + index];
    }
  }

  /** ∂L/∂xᵢ = ∂L/∂y: the output gradient, once per input. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    const inputs = this.inputsForBackward(outputGradient, this.output);
    this.gradients.length = 0;
    for (let index = 0; index < inputs.length; index++) this.gradients.push(outputGradient);
    return this.gradients;
  }
}
