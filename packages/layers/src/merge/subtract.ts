import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/**
 * Difference of exactly two inputs: y = a − b, so ∂L/∂a = ∂L/∂y and ∂L/∂b = −∂L/∂y.
 *
 * @example
 * new Subtract().forward([tensor([5, 7]), tensor([1, 2])]); // [4, 5]
 */
export class Subtract extends ElementwiseMerge {
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('Subtract', 'subtract', options, { minimum: 2, maximum: 2 });
  }

  /** Rebuilds a Subtract from {@link Subtract.getConfig}. */
  static fromConfig(config: LayerConfig): Subtract {
    return new Subtract(config as LayerOptions);
  }

  protected combine(inputs: readonly Tensor[], output: FloatData, size: number): void {
    const [a, b] = inputs;
    const aValues = floatData(a);
    const bValues = floatData(b);
    for (let index = 0; index < size; index++) output[index] = aValues[a.offset + index] - bValues[b.offset + index];
  }

  /** [∂L/∂y, −∂L/∂y]. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    this.inputsForBackward(outputGradient, this.output);
    const gradient = contiguousInput(outputGradient);
    const negated = this.workspace.buffer('negated', gradient.dtype as 'float32' | 'float64', gradient.shape);
    const source = floatData(gradient);
    const target = floatData(negated);
    for (let index = 0; index < negated.size; index++) target[index] = -source[gradient.offset + index];
    this.gradients.length = 0;
    this.gradients.push(outputGradient, negated);
    return this.gradients;
  }
}
