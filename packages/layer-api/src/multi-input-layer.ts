import type { LayerConfig, BackwardOptions, ForwardOptions } from './layer.js';
import type { JsonObject } from './json.js';
import type { StateBuffer, Trainable } from './parameter.js';
import type { TensorLike } from './tensor-like.js';

/**
 * A differentiable layer of several inputs, such as `Add` or `Concatenate`: what a graph model
 * calls where more than one tensor flows into a node. Like {@link Layer}, it remembers what its
 * backward needs from its last forward.
 *
 * @example
 * const add: MultiInputLayer<Tensor> = new Add();
 * const sum = add.forward([a, b]);
 * const [gradientA, gradientB] = add.backward(outputGradient);
 */
export interface MultiInputLayer<T extends TensorLike = TensorLike> extends Trainable {
  /** Always `true`: tells a graph model to pass this layer an array of tensors. */
  readonly multiInput: true;
  /** Computes the output from every input, in order, and remembers what `backward` needs. */
  forward(inputs: readonly T[], options?: ForwardOptions): T;
  /**
   * Given the gradient of the loss with respect to the last output, writes every parameter's
   * `grad` (overwriting) and returns the gradient with respect to each input of the last forward,
   * in order. The returned tensors belong to the layer (or are `outputGradient` itself): read them
   * before the next call and never write into them.
   */
  backward(outputGradient: T, options?: BackwardOptions): readonly T[];
  /** The output shape for the input shapes; `-1` stands for an unknown (batch) dimension. */
  outputShape(inputShapes: readonly (readonly number[])[]): number[];
  /** Constructor arguments as JSON, to rebuild the layer through a registry. */
  getConfig(): LayerConfig;
  /** Saved but untrained arrays; `[]` for merge layers. */
  buffers(): readonly StateBuffer[];
  /** Non-array state to save and restore. */
  getState?(): JsonObject;
  /** Restores what {@link MultiInputLayer.getState} returned. */
  setState?(state: JsonObject): void;
}
