import type { FloatArray, FloatDType, Parameter, ParameterMemory, StateBuffer } from '@annet/layer-api';
import { createRng, residentParameterMemory, residentZeros, type Rng, type Tensor } from '@annet/tensor';
import type { Fans, Initializer } from './initializers/initializer.js';

/**
 * What a layer's parameters and buffers share: a name inside the layer (`weights`) that follows
 * the layer's renames (`dense_1.weights`), a logical shape, an owned row-major `value` array and
 * a tensor over it.
 *
 * @example
 * class Statistic extends LayerArray { constructor() { super('batch_norm', 'count', [1], 'float64'); } }
 */
export abstract class LayerArray {
  /** The name inside its layer, such as `weights`. */
  readonly localName: string;
  /** Logical shape. */
  readonly shape: readonly number[];
  /** The values, row-major (updated in place by optimizers and checkpoint loading). */
  readonly value: FloatArray;
  /** A tensor over `value` (same array). */
  readonly tensor: Tensor<FloatDType>;
  private fullName: string;

  protected constructor(layerName: string, localName: string, shape: readonly number[], dtype: FloatDType) {
    this.localName = localName;
    this.shape = shape.slice();
    // Resident: in the WebAssembly kernels' memory when they have a shared one, so matmul reads the weights in place.
    this.tensor = residentZeros(this.shape, dtype);
    this.value = this.tensor.data;
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
}

/**
 * A layer's trainable array: a {@link Parameter} (`value`, `grad`) plus tensors over the same
 * arrays (`tensor`, `gradient`) and the initializer that redraws it.
 *
 * `value` is owned and contiguous, so optimizers may update it in place; `grad` has the same
 * type and length and is overwritten (not accumulated) by the layer's backward pass.
 *
 * Both arrays are resident (`residentZeros` of `@annet/tensor`). When both landed in the
 * WebAssembly kernels' shared memory (float32 under the WebAssembly backend, with room left),
 * `memory` says so, and `@annet/optimizers` then updates the parameter with its SIMD kernels in
 * place; otherwise (float64, the TypeScript kernels, no shared memory, a full memory) `memory` is
 * absent and optimizers run their TypeScript updates.
 *
 * @example
 * const weights = new LayerParameter('dense', 'weights', [2, 3], 'float64', initializers.glorotUniform, { fanIn: 2, fanOut: 3 });
 * weights.initialize(createRng(0));
 * weights.name; // 'dense.weights'
 */
export class LayerParameter extends LayerArray implements Parameter {
  /** The gradient, overwritten by each backward pass. */
  readonly grad: FloatArray;
  /** A tensor over `grad` (same array). */
  readonly gradient: Tensor<FloatDType>;
  /** When `false`, optimizers skip this parameter. */
  trainable?: boolean;
  /** The WebAssembly memory holding `value` and `grad`, when both are in the kernels' shared memory (see above); absent otherwise. */
  declare readonly memory?: ParameterMemory;

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
    super(layerName, localName, shape, dtype);
    this.gradient = residentZeros(this.shape, dtype);
    this.grad = this.gradient.data;
    const memory = residentParameterMemory(this.value, this.grad);
    if (memory !== undefined) this.memory = memory;
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
export class LayerBuffer extends LayerArray implements StateBuffer {
  constructor(
    layerName: string,
    localName: string,
    shape: readonly number[],
    dtype: FloatDType,
    /** The value {@link LayerBuffer.reset} fills in. */
    readonly initialValue: number,
  ) {
    super(layerName, localName, shape, dtype);
    this.value.fill(initialValue);
  }

  /** Refills with the initial value. */
  reset(): void {
    this.value.fill(this.initialValue);
  }
}
