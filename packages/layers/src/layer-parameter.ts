import type { FloatArray, FloatDType, Parameter, StateBuffer } from '@annet/layer-api';
import { allocate, createRng, sizeOf, Tensor, type Rng } from '@annet/tensor';
import type { Fans, Initializer } from './initializers/initializer.js';

/**
 * A layer's trainable array: a {@link Parameter} (`value`, `grad`) plus tensors over the same
 * arrays (`tensor`, `gradient`) and the initializer that redraws it.
 *
 * `value` is owned and contiguous, so optimizers may update it in place; `grad` has the same
 * type and length and is overwritten (not accumulated) by the layer's backward pass.
 *
 * @example
 * const weights = new LayerParameter('dense', 'weights', [2, 3], 'float64', initializers.glorotUniform, { fanIn: 2, fanOut: 3 });
 * weights.initialize(createRng(0));
 * weights.name; // 'dense.weights'
 */
export class LayerParameter implements Parameter {
  /** The name inside its layer, such as `weights`. */
  readonly localName: string;
  /** Logical shape. */
  readonly shape: readonly number[];
  /** The values, row-major; optimizers update them in place. */
  readonly value: FloatArray;
  /** The gradient, overwritten by each backward pass. */
  readonly grad: FloatArray;
  /** A tensor over `value` (same array). */
  readonly tensor: Tensor<FloatDType>;
  /** A tensor over `grad` (same array). */
  readonly gradient: Tensor<FloatDType>;
  /** When `false`, optimizers skip this parameter. */
  trainable?: boolean;
  private fullName: string;

  constructor(
    layerName: string,
    localName: string,
    shape: readonly number[],
    dtype: FloatDType,
    /** Redraws `value` in {@link LayerParameter.initialize}. */
    readonly initializer: Initializer,
    /** Fan sizes handed to the initializer. */
    readonly fans: Fans,
  ) {
    this.localName = localName;
    this.shape = shape.slice();
    this.value = allocate(dtype, sizeOf(shape));
    this.grad = allocate(dtype, sizeOf(shape));
    this.tensor = new Tensor(this.value, this.shape);
    this.gradient = new Tensor(this.grad, this.shape);
    this.fullName = `${layerName}.${localName}`;
  }

  /** `<layer>.<localName>`, such as `dense_1.weights`. */
  get name(): string {
    return this.fullName;
  }

  /** Follows a rename of the owning layer. */
  setLayerName(layerName: string): void {
    this.fullName = `${layerName}.${this.localName}`;
  }

  /** Redraws the values from `rng` and zeroes the gradient. */
  initialize(rng: Rng = createRng(0)): void {
    this.initializer(this.value, this.fans, rng);
    this.grad.fill(0);
  }
}

/**
 * A layer's saved-but-untrained array (BatchNorm's running statistics): a {@link StateBuffer}
 * plus a tensor over it and its initial fill value.
 *
 * @example
 * const runningMean = new LayerBuffer('batch_norm', 'runningMean', [8], 'float32', 0);
 * runningMean.name; // 'batch_norm.runningMean'
 */
export class LayerBuffer implements StateBuffer {
  /** The name inside its layer, such as `runningMean`. */
  readonly localName: string;
  /** Logical shape. */
  readonly shape: readonly number[];
  /** The values; loading a checkpoint writes into this array in place. */
  readonly value: FloatArray;
  /** A tensor over `value` (same array). */
  readonly tensor: Tensor<FloatDType>;
  private fullName: string;

  constructor(
    layerName: string,
    localName: string,
    shape: readonly number[],
    dtype: FloatDType,
    /** The value {@link LayerBuffer.reset} fills in. */
    readonly initialValue: number,
  ) {
    this.localName = localName;
    this.shape = shape.slice();
    this.value = allocate(dtype, sizeOf(shape));
    this.value.fill(initialValue);
    this.tensor = new Tensor(this.value, this.shape);
    this.fullName = `${layerName}.${localName}`;
  }

  /** `<layer>.<localName>`, such as `batch_norm_1.runningMean`. */
  get name(): string {
    return this.fullName;
  }

  /** Follows a rename of the owning layer. */
  setLayerName(layerName: string): void {
    this.fullName = `${layerName}.${this.localName}`;
  }

  /** Refills with the initial value. */
  reset(): void {
    this.value.fill(this.initialValue);
  }
}
