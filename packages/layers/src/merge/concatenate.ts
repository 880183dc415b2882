import type { BackwardOptions, JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { describeSymbolicShape, MergeLayer } from './merge-layer.js';

/**
 * Joins its inputs along `axis` (counted with the batch axis 0; negative counts from the end;
 * default −1, the last): shapes must agree everywhere else, and the output's `axis` is the sum of
 * theirs. Backward splits the gradient back into the inputs' slices.
 *
 * With outer = Π shape[0..axis) and inner = Π shape(axis..], input i is outer blocks of
 * cᵢ = shapeᵢ[axis]·inner elements, and output block o is their blocks o side by side.
 *
 * @example
 * new Concatenate(-1).forward([zeros([32, 64]), zeros([32, 1])]).shape; // [32, 65]
 */
export class Concatenate extends MergeLayer {
  /** The axis as given (may be negative). */
  readonly axis: number;
  private output: Tensor | undefined;
  private readonly gradients: Tensor[] = [];

  constructor(axis = -1, options: LayerOptions = {}) {
    super('Concatenate', 'concatenate', options);
    if (!Number.isSafeInteger(axis) || axis === 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `axis must be a non-zero integer (0 is the batch axis; negative counts from the end), got ${axis}`,
      );
    }
    this.axis = axis;
  }

  /** Rebuilds a Concatenate from {@link Concatenate.getConfig}. */
  static fromConfig(config: LayerConfig): Concatenate {
    return new Concatenate(config.axis as number, config as LayerOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { axis: this.axis };
  }

  /** The inputs' shape with `axis` summed; throws naming the shapes that disagree elsewhere. */
  outputShape(inputShapes: readonly (readonly number[])[]): number[] {
    this.checkInputCount(inputShapes.length);
    const rank = inputShapes[0].length;
    const axis = this.resolvedAxis(rank);
    const result = inputShapes[0].slice();
    for (let index = 1; index < inputShapes.length; index++) {
      const shape = inputShapes[index];
      const compatible =
        shape.length === rank &&
        shape.every(
          (dimension, other) => other === axis || dimension === result[other] || dimension < 0 || result[other] < 0,
        );
      if (!compatible) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          this.operation,
          `shapes ${describeSymbolicShape(inputShapes[0])} and ${describeSymbolicShape(shape)} cannot be joined along axis ${this.axis} (every other dimension must agree)`,
        );
      }
      for (let other = 0; other < rank; other++) if (result[other] < 0 && other !== axis) result[other] = shape[other];
      result[axis] = result[axis] < 0 || shape[axis] < 0 ? -1 : result[axis] + shape[axis];
    }
    return result;
  }

  /** Copies each input's blocks side by side into the output buffer. */
  forward(inputs: readonly Tensor[], _options?: { readonly training: boolean }): Tensor {
    this.recordInputs(inputs);
    const shape = this.outputShape(inputs.map((input) => input.shape));
    const axis = this.resolvedAxis(shape.length);
    const output = this.workspace.buffer('output', inputs[0].dtype as 'float32' | 'float64', shape);
    this.output = output;
    const target = floatData(output);
    const { outer, inner } = this.blocks(shape, axis);
    const outputBlock = shape[axis] * inner;
    let start = 0;
    for (const raw of inputs) {
      const input = contiguousInput(raw);
      const values = floatData(input);
      const block = input.shape[axis] * inner;
      for (let row = 0; row < outer; row++) {
        const from = input.offset + row * block;
        target.set(values.subarray(from, from + block), row * outputBlock + start);
      }
      start += block;
    }
    return output;
  }

  /** Slices the output gradient back into one buffer per input. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    const inputs = this.inputsForBackward(outputGradient, this.output);
    const gradient = contiguousInput(outputGradient);
    const source = floatData(gradient);
    const shape = gradient.shape;
    const axis = this.resolvedAxis(shape.length);
    const { outer, inner } = this.blocks(shape, axis);
    const outputBlock = shape[axis] * inner;
    this.gradients.length = 0;
    let start = 0;
    inputs.forEach((input, index) => {
      const buffer = this.workspace.buffer(
        `inputGradient${index}`,
        gradient.dtype as 'float32' | 'float64',
        input.shape,
      );
      const target = floatData(buffer);
      const block = input.shape[axis] * inner;
      for (let row = 0; row < outer; row++) {
        const from = gradient.offset + row * outputBlock + start;
        target.set(source.subarray(from, from + block), row * block);
      }
      start += block;
      this.gradients.push(buffer);
    });
    return this.gradients;
  }

  private resolvedAxis(rank: number): number {
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis <= 0 || axis >= rank) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `axis ${this.axis} is out of range for inputs of rank ${rank} (valid: 1..${rank - 1} or -1..-${rank - 1}; 0 is the batch axis)`,
      );
    }
    return axis;
  }

  private blocks(shape: readonly number[], axis: number): { outer: number; inner: number } {
    let outer = 1;
    for (let index = 0; index < axis; index++) outer *= shape[index];
    let inner = 1;
    for (let index = axis + 1; index < shape.length; index++) inner *= shape[index];
    return { outer, inner };
  }
}
