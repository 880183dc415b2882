import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, mul, normalizeAxis, residentZeros, softmax, sub, sum, type Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { requireFloatInput } from '../layer-errors.js';

/**
 * Options of {@link Softmax}.
 *
 * @example
 * const options: SoftmaxOptions = { axis: 1 };
 */
export interface SoftmaxOptions extends LayerOptions {
  /** The axis that sums to 1; default −1 (the last). */
  readonly axis?: number;
}

/**
 * Softmax along an axis: yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) (m the maximum, so large logits are safe).
 * Backward: dxᵢ = yᵢ·(dyᵢ − Σⱼ dyⱼ·yⱼ).
 *
 * For classification, feed logits to `softmaxCrossEntropy` instead: the fused loss is more
 * accurate and cheaper than this layer followed by a cross-entropy.
 *
 * @example
 * new Softmax().forward(tensor([[1, 2, 3]])); // [[0.090, 0.245, 0.665]]
 */
export class Softmax extends BaseLayer {
  /** The axis that sums to 1, as given (may be negative). */
  readonly axis: number;
  private readonly forwardOptions: { out?: Tensor } = {};
  private readonly productOptions: { out?: Tensor } = {};
  private readonly sumOptions: { out?: Tensor } = {};

  constructor(options: SoftmaxOptions = {}) {
    super('Softmax', 'softmax', options);
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis))
      throw new AnnetError('INVALID_AXIS', this.operation, `axis must be an integer, got ${axis}`);
    this.axis = axis;
  }

  /** Rebuilds a Softmax from {@link Softmax.getConfig}. */
  static fromConfig(config: LayerConfig): Softmax {
    return new Softmax(config as SoftmaxOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { axis: this.axis };
  }

  /** The softmax of `input` along the axis; the returned tensor is reused by the next call. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    requireFloatInput(this.operation, input);
    const axis = normalizeAxis(this.axis, input.shape.length, this.operation);
    const output = this.workspace.output(input.dtype as 'float32' | 'float64', input.shape);
    this.forwardOptions.out = output;
    softmax(input, axis, this.forwardOptions);
    this.lastInput = input;
    this.lastTraining = options?.training ?? false;
    return output;
  }

  /**
   * dx = y ⊙ (dy − Σ_axis dy ⊙ y), with the tensor ops writing into workspace buffers: dx holds
   * dy ⊙ y first, then the row sums s are taken, then dx = (dy − s) ⊙ y.
   */
  backward(outputGradient: Tensor): Tensor {
    const output = this.workspace.current('output') as Tensor;
    this.checkBackward(outputGradient, output?.shape ?? [], output?.dtype ?? this.dtype);
    const dtype = output.dtype as 'float32' | 'float64';
    const axis = normalizeAxis(this.axis, output.shape.length, this.operation);
    const inputGradient = this.workspace.buffer('inputGradient', dtype, output.shape);
    const rowSums = this.workspace.derive('rowSums', dtype, output.shape, this.rowSumsFor);
    this.productOptions.out = inputGradient;
    this.sumOptions.out = rowSums;
    mul(outputGradient, output, this.productOptions);
    sum(inputGradient, axis, true, this.sumOptions);
    sub(outputGradient, rowSums, this.productOptions);
    mul(inputGradient, output, this.productOptions);
    return inputGradient;
  }

  /** The buffer of the sums along the axis for an output of `shape`: its shape with 1 there (a field, so `derive` always gets the same function). */
  private readonly rowSumsFor = (shape: readonly number[], dtype: 'float32' | 'float64'): Tensor => {
    const reducedShape = shape.slice();
    reducedShape[normalizeAxis(this.axis, shape.length, this.operation)] = 1;
    return residentZeros(reducedShape, dtype);
  };

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    normalizeAxis(this.axis, inputShape.length, this.operation);
    return inputShape.slice();
  }
}
