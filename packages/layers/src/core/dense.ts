import type { JsonValue, LayerConfig } from '@annet/layer-api';
import type { BackwardOptions, FloatDType } from '@annet/layer-api';
import {
  AnnetError,
  columnSumsResident,
  matmul,
  reluBackwardResident,
  type MatmulOptions,
  type Tensor,
} from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { initializerFromConfig } from '../initializers/initializer-from-config.js';
import type { InitializerConfig } from '../initializers/initializer.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { activateInPlace, checkDenseActivation, type DenseActivation } from './dense-activation.js';
import { activationGradientAndBiasSum, sumRows } from './dense-gradient.js';
import { defaultKernelInitializer, kernelConfigEntries, type KernelOptions } from './kernel-options.js';

/**
 * Options of {@link Dense}.
 *
 * @example
 * const options: DenseOptions = { activation: 'relu', activationHint: 'relu', seed: 1 };
 */
export interface DenseOptions extends SeededLayerOptions, KernelOptions {
  /**
   * The activation applied to x·W + b, as Keras's `activation`: `'linear'` (default, none),
   * `'relu'` (fused into the matmul: no second sweep over the output), `'sigmoid'`, `'tanh'`.
   * As in Keras it does not choose the initializer: `activation: 'relu'` alone keeps Glorot
   * uniform; add `activationHint: 'relu'` (or a `kernelInitializer`) for He-normal weights.
   */
  readonly activation?: DenseActivation;
}

/**
 * A fully connected layer: y = f(x·W + b) over the last axis, with weights W of shape
 * [inputSize, outputSize], biases b of shape [outputSize] and f the `activation` (identity by
 * default). Input [..., inputSize], output [..., outputSize].
 *
 * Backward, with X and dY the input and output gradient flattened to rows: dZ = dY ⊙ f′ (dY
 * itself for `'linear'`; [Y > 0], Y(1 − Y) or 1 − Y² otherwise, into a reused buffer) and
 * db = Σ_rows dZ in one sweep over dY (float64 column sums, the bits of `sum(dZ, 0)`), then
 * dW = Xᵀ·dZ and dX = dZ·Wᵀ (matmul reads the transposes in place, without copies).
 *
 * Parameters `<name>.weights` and `<name>.biases`, drawn at construction from `options.rng` or
 * `createRng(options.seed ?? 0)`, weights first.
 *
 * @example
 * const dense = new Dense(784, 128, { activation: 'relu', activationHint: 'relu' }); // He-normal weights
 * const y = dense.forward(x);             // x: [64, 784] → y = relu(x·W + b): [64, 128]
 * const dx = dense.backward(dy);          // fills dense.parameters()[0].grad and [1].grad
 */
export class Dense extends BaseLayer {
  /** Size of the last input axis. */
  readonly inputSize: number;
  /** Size of the last output axis. */
  readonly outputSize: number;
  /** Whether the layer adds biases. */
  readonly useBias: boolean;
  /** W, [inputSize, outputSize], a tensor over the `<name>.weights` parameter's array. */
  readonly weights: Tensor;
  /** b, [outputSize], over `<name>.biases`; undefined without bias. */
  readonly biases: Tensor | undefined;
  /** The activation applied to x·W + b (`'linear'`: none). */
  readonly activation: DenseActivation;
  private readonly kernelInitializer: InitializerConfig;
  private readonly biasInitializer: InitializerConfig;
  private readonly activationHint: string | undefined;
  private readonly seedEntries: Record<string, JsonValue>;
  private readonly weightsParameter: LayerParameter;
  private readonly biasesParameter: LayerParameter | undefined;
  // The matmul options, made once; their `out` is pointed at this step's workspace buffer.
  private readonly forwardOptions: MatmulOptions;
  private readonly weightGradientOptions: MatmulOptions;
  private readonly inputGradientOptions: MatmulOptions = { transposeB: true };

  constructor(inputSize: number, outputSize: number, options: DenseOptions = {}) {
    super('Dense', 'dense', options);
    for (const [what, size] of [
      ['inputSize', inputSize],
      ['outputSize', outputSize],
    ] as const) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.useBias = options.useBias ?? true;
    this.activation = checkDenseActivation(this.operation, options.activation);
    this.kernelInitializer = defaultKernelInitializer(options);
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    this.activationHint = options.activationHint;
    this.seedEntries = seedConfig(options);
    const fans = { fanIn: inputSize, fanOut: outputSize };
    this.weightsParameter = this.addParameter(
      'weights',
      [inputSize, outputSize],
      initializerFromConfig(this.kernelInitializer),
      fans,
    );
    this.biasesParameter = this.useBias
      ? this.addParameter('biases', [outputSize], initializerFromConfig(this.biasInitializer), fans)
      : undefined;
    this.weights = this.weightsParameter.tensor;
    this.biases = this.biasesParameter?.tensor;
    // Bias (and ReLU) ride in the matmul; sigmoid and tanh follow it in place.
    this.forwardOptions = { bias: this.biases, activation: this.activation === 'relu' ? 'relu' : 'linear' };
    this.weightGradientOptions = { transposeA: true, out: this.weightsParameter.gradient };
    this.initialize(initialRng(options));
  }

  /** Rebuilds a Dense from {@link Dense.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): Dense {
    return new Dense(config.inputSize as number, config.outputSize as number, config as DenseOptions);
  }

  // `activation` is recorded only when not 'linear', so configs written before the option existed
  // (which load as 'linear') and the configs of linear layers stay exactly as they were.
  protected override configEntries(): Record<string, JsonValue> {
    return {
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      ...kernelConfigEntries(
        this.useBias,
        this.kernelInitializer,
        this.biasInitializer,
        this.activationHint,
        this.seedEntries,
      ),
      ...(this.activation === 'linear' ? {} : { activation: this.activation }),
    };
  }

  /** y = f(x·W + b); the returned tensor is reused by the next call. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    const rank = input.shape.length;
    if (rank < 2 || input.shape[rank - 1] !== this.inputSize)
      throw inputShapeError(this.operation, `[*,${this.inputSize}]`, input.shape);
    requireDType(this.operation, input, this.dtype);
    const output = this.workspace.output(this.dtype, input.shape);
    this.forwardOptions.out = output;
    matmul(input as Tensor<FloatDType>, this.weights as Tensor<FloatDType>, this.forwardOptions);
    if (this.activation === 'sigmoid' || this.activation === 'tanh')
      activateInPlace(this.activation, floatData(output), output.size);
    this.lastInput = input;
    this.lastTraining = options?.training ?? false;
    return output;
  }

  /**
   * Writes dW = Xᵀ·dZ and db = Σ dZ (overwriting) and returns dX = dZ·Wᵀ (reused by the next
   * call), with dZ = dY ⊙ f′; with `{ inputGradient: false }` dX is not computed (the first layer
   * of a model needs none).
   */
  backward(outputGradient: Tensor, options?: BackwardOptions): Tensor {
    const output = this.workspace.current('output');
    const input = this.checkBackward(outputGradient, output?.shape ?? [], this.dtype);
    const gradient =
      this.activation === 'linear'
        ? this.linearBiasGradient(outputGradient)
        : this.throughActivation(outputGradient, output as Tensor);
    const inputRows = this.rows('inputRows', input, this.inputSize);
    const gradientRows = this.rows('gradientRows', gradient, this.outputSize);
    matmul(inputRows as Tensor<FloatDType>, gradientRows as Tensor<FloatDType>, this.weightGradientOptions);
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, input.shape);
    this.inputGradientOptions.out = inputGradient;
    if (options?.inputGradient === false) return inputGradient;
    matmul(gradient as Tensor<FloatDType>, this.weights as Tensor<FloatDType>, this.inputGradientOptions);
    return inputGradient;
  }

  /**
   * dZ = dY ⊙ f′(Z), computed from the output Y, in the workspace buffer `preActivationGradient`,
   * with db = Σ_rows dZ taken in the same sweep.
   */
  private throughActivation(outputGradient: Tensor, output: Tensor): Tensor {
    const dy = contiguousInput(outputGradient);
    const dz = this.workspace.buffer('preActivationGradient', this.dtype, output.shape);
    const biasGradient = this.biasesParameter?.gradient;
    if (this.activation === 'relu' && this.reluInSimd(output, dy, dz, biasGradient)) return dz;
    activationGradientAndBiasSum(
      this.activation as 'relu' | 'sigmoid' | 'tanh',
      floatData(output),
      floatData(dy),
      dy.offset,
      floatData(dz),
      output.size / this.outputSize,
      this.outputSize,
      biasGradient === undefined ? undefined : floatData(biasGradient),
      biasGradient?.offset ?? 0,
    );
    return dz;
  }

  /**
   * ReLU's dZ = dY·[Y > 0] + 0, then db = Σ_rows dZ, in WebAssembly SIMD when every array is
   * resident float32 (from index 0); the column sums fall back to `sumRows` where the SIMD pass
   * does not apply (a width not a multiple of 4, or below 8). The bits of
   * activationGradientAndBiasSum either way (the same float32 products, float64 column sums in row
   * order). Returns false, having written nothing, when the arrays are not resident.
   */
  private reluInSimd(output: Tensor, dy: Tensor, dz: Tensor, biasGradient: Tensor | undefined): boolean {
    const y = floatData(output);
    const gradient = floatData(dy);
    const result = floatData(dz);
    const sums = biasGradient === undefined ? undefined : floatData(biasGradient);
    if (!(y instanceof Float32Array && gradient instanceof Float32Array && result instanceof Float32Array))
      return false;
    if (sums !== undefined && !(sums instanceof Float32Array && biasGradient!.offset === 0)) return false;
    const width = this.outputSize;
    if (!reluBackwardResident(y, 0, gradient, dy.offset, result, output.size)) return false;
    if (sums === undefined) return true;
    const rows = output.size / width;
    if (!columnSumsResident(result, sums as Float32Array, rows, width))
      sumRows(result, 0, rows, width, this.workspace.scratch('biasGradientSums', 'float64', width), sums, 0);
    return true;
  }

  /** db = Σ_rows dY for a linear Dense (when it has biases); returns dY, which is dZ here. */
  private linearBiasGradient(outputGradient: Tensor): Tensor {
    const biasGradient = this.biasesParameter?.gradient;
    if (biasGradient === undefined) return outputGradient;
    const dy = contiguousInput(outputGradient);
    const rows = dy.size / this.outputSize;
    const values = floatData(dy);
    const sums = floatData(biasGradient);
    // The same bits either way (float64 column sums in row order, rounded once); the SIMD pass
    // took 0.03 ms against 0.25 ms for sumRows on the GPT's [768, 512] gradient.
    const simd =
      values instanceof Float32Array &&
      sums instanceof Float32Array &&
      dy.offset === 0 &&
      biasGradient.offset === 0 &&
      columnSumsResident(values, sums, rows, this.outputSize);
    if (!simd)
      sumRows(
        values,
        dy.offset,
        rows,
        this.outputSize,
        this.workspace.scratch('biasGradientSums', 'float64', this.outputSize),
        sums,
        biasGradient.offset,
      );
    return outputGradient;
  }

  /** [..., inputSize] → [..., outputSize]. */
  outputShape(inputShape: readonly number[]): number[] {
    const rank = inputShape.length;
    if (rank < 2 || inputShape[rank - 1] !== this.inputSize)
      throw inputShapeError(this.operation, `[*,${this.inputSize}]`, inputShape);
    return [...inputShape.slice(0, -1), this.outputSize];
  }

  /** `tensor` viewed as rows [product of leading axes, width] (a workspace view); itself when already 2-D. */
  private rows(name: 'inputRows' | 'gradientRows', tensor: Tensor, width: number): Tensor {
    if (tensor.shape.length === 2) return tensor;
    return this.workspace.view(name, tensor) ?? this.workspace.keepView(name, tensor, tensor.reshape([-1, width]));
  }
}
