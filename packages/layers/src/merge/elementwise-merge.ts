import { AnnetError, type Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { describeSymbolicShape, MergeLayer } from './merge-layer.js';

/**
 * The base of merges that combine inputs of one shape element by element (`Add`, `Multiply`,
 * `Maximum`…): checks the shapes, keeps contiguous inputs for backward and the output buffer.
 * Shapes must be equal (no broadcasting, as in Keras); `-1` (unknown) matches any size.
 *
 * @example
 * abstract class Sum extends ElementwiseMerge {} // a concrete subclass implements combine(inputs, output, size) and its gradients
 */
export abstract class ElementwiseMerge extends MergeLayer {
  /** The last forward's inputs, contiguous (the same objects when they already were). */
  protected readonly inputs: Tensor[] = [];
  /** The last output (a buffer reused by the next forward). */
  protected output: Tensor | undefined;
  /** The last forward's input shapes, in an array reused from call to call. */
  private readonly inputShapes: (readonly number[])[] = [];

  protected constructor(
    className: string,
    defaultName: string,
    options: LayerOptions,
    inputs?: { minimum: number; maximum: number },
  ) {
    super(className, defaultName, options, inputs);
  }

  /** The common shape of the inputs; throws naming both shapes when two differ. */
  outputShape(inputShapes: readonly (readonly number[])[]): number[] {
    this.checkInputCount(inputShapes.length);
    const result = inputShapes[0].slice();
    for (let index = 1; index < inputShapes.length; index++) {
      const shape = inputShapes[index];
      const compatible =
        shape.length === result.length &&
        shape.every((dimension, axis) => dimension === result[axis] || dimension < 0 || result[axis] < 0);
      if (!compatible) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          this.operation,
          `shapes ${describeSymbolicShape(inputShapes[0])} and ${describeSymbolicShape(shape)} do not broadcast (${this.className} needs inputs of equal shapes)`,
        );
      }
      shape.forEach((dimension, axis) => {
        if (result[axis] < 0) result[axis] = dimension;
      });
    }
    return result;
  }

  /** Checks the inputs and writes {@link ElementwiseMerge.combine} of them into the output buffer. */
  forward(inputs: readonly Tensor[], _options?: { readonly training: boolean }): Tensor {
    this.recordInputs(inputs);
    this.inputShapes.length = 0;
    for (const input of inputs) this.inputShapes.push(input.shape);
    this.outputShape(this.inputShapes);
    this.inputs.length = 0;
    for (const input of inputs) this.inputs.push(contiguousInput(input));
    const output = this.workspace.buffer('output', inputs[0].dtype as 'float32' | 'float64', inputs[0].shape);
    this.output = output;
    this.combine(this.inputs, floatData(output), output.size);
    return output;
  }

  /** Writes the merged values of `inputs` (contiguous, read from their offsets) into `output`. */
  protected abstract combine(inputs: readonly Tensor[], output: FloatData, size: number): void;
}
