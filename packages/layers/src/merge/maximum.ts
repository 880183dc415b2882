import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { ElementwiseMerge } from './elementwise-merge.js';

/**
 * Elementwise maximum of its inputs: y = max(x₁, …, xₖ); the gradient flows to the input that
 * won, ∂L/∂xᵢ = ∂L/∂y · [i = argmax], ties going to the first such input (as `torch.maximum`'s
 * subgradient is not unique there, one consistent choice). NaN wins, so it propagates.
 *
 * @example
 * new Maximum().forward([tensor([1, 5]), tensor([3, 2])]); // [3, 5]
 */
export class Maximum extends ElementwiseMerge {
  private winners = new Int32Array(0);
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('Maximum', 'maximum', options);
  }

  /** Rebuilds a Maximum from {@link Maximum.getConfig}. */
  static fromConfig(config: LayerConfig): Maximum {
    return new Maximum(config as LayerOptions);
  }

  protected combine(inputs: readonly Tensor[], output: FloatData, size: number): void {
    if (this.winners.length !== size) this.winners = new Int32Array(size);
    const winners = this.winners;
    const first = floatData(inputs[0]);
    for (let index = 0; index < size; index++) {
      output[index] = first[inputs[0].offset + index];
      winners[index] = 0;
    }
    for (let input = 1; input < inputs.length; input++) {
      const values = floatData(inputs[input]);
      const offset = inputs[input].offset;
      for (let index = 0; index < size; index++) {
        const value = values[offset + index];
        const best = output[index];
        // `best === best` keeps an earlier NaN; `value !== value` lets a later NaN win.
        if ((value > best && best === best) || (value !== value && best === best)) {
          output[index] = value;
          winners[index] = input;
        }
      }
    }
  }

  /** ∂L/∂xᵢ = ∂L/∂y where input i won, 0 elsewhere. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    const inputs = this.inputsForBackward(outputGradient, this.output);
    const gradient = contiguousInput(outputGradient);
    const source = floatData(gradient);
    const winners = this.winners;
    this.gradients.length = 0;
    for (let input = 0; input < inputs.length; input++) {
      const buffer = this.workspace.buffer(
        `inputGradient${input}`,
        gradient.dtype as 'float32' | 'float64',
        gradient.shape,
      );
      const target = floatData(buffer);
      for (let index = 0; index < buffer.size; index++)
        target[index] = winners[index] === input ? source[gradient.offset + index] : 0;
      this.gradients.push(buffer);
    }
    return this.gradients;
  }
}
