import type { JsonObject, JsonValue } from './json.js';
import type { StateBuffer, Trainable } from './parameter.js';
import type { TensorLike } from './tensor-like.js';

/** Options of one forward pass. */
export interface ForwardOptions {
  /** `true` while training: Dropout drops, BatchNorm uses batch statistics and updates running ones. */
  readonly training: boolean;
}

/** Options of one backward pass. */
export interface BackwardOptions {
  /**
   * `false` when the caller does not need the gradient with respect to the input (the first layer
   * of a model): the layer still writes every parameter's `grad` but may skip computing the input
   * gradient, and the tensor it returns then has the input's shape with unspecified contents.
   * Default `true`.
   */
  readonly inputGradient?: boolean;
}

/**
 * A layer's constructor arguments as plain JSON, enough to rebuild it through a registry.
 * Weights are not part of it: they are loaded separately, by parameter name.
 */
export interface LayerConfig extends JsonObject {
  /** The registry key of the layer's class, such as `Dense`. */
  readonly className: string;
  /** The layer's name; its parameters' names start with it. */
  readonly name: string;
}

/**
 * A differentiable layer: forward and backward over tensors of type `T`.
 *
 * `T` is structural ({@link TensorLike}) so that this package needs no tensor library;
 * `@annet/layers` uses `Tensor` from `@annet/tensor`.
 */
export interface Layer<T extends TensorLike = TensorLike> extends Trainable {
  /** Computes the output and remembers what `backward` needs. */
  forward(input: T, options?: ForwardOptions): T;
  /**
   * Given the gradient of the loss with respect to the last output, writes every parameter's
   * `grad` (overwriting, not accumulating) and returns the gradient with respect to the last input
   * (see {@link BackwardOptions.inputGradient} for skipping it).
   */
  backward(outputGradient: T, options?: BackwardOptions): T;
  /** The output shape for an input shape; `-1` stands for an unknown (batch) dimension. */
  outputShape(inputShape: readonly number[]): number[];
  /** Constructor arguments as JSON; `layerFromConfig(getConfig())` rebuilds an equivalent layer. */
  getConfig(): LayerConfig;
  /** Saved but untrained arrays, such as BatchNorm's running statistics; `[]` for most layers. */
  buffers(): readonly StateBuffer[];
  /** Non-array state to save and restore, such as a Dropout layer's random-generator state. */
  getState?(): JsonObject;
  /** Restores what {@link Layer.getState} returned. */
  setState?(state: JsonObject): void;
}

/** A value accepted in a layer config. */
export type LayerConfigValue = JsonValue;
