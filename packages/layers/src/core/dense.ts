import type { JsonValue, LayerConfig } from '@annet/layer-api';
import type { BackwardOptions, FloatDType } from '@annet/layer-api';
import { add, AnnetError, matmul, shapesEqual, sum, zeros, type MatmulOptions, type Tensor } from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { initializerFromConfig } from '../initializers/initializer-from-config.js';
import type { InitializerConfig } from '../initializers/initializer.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { defaultKernelInitializer, kernelConfigEntries, type KernelOptions } from './kernel-options.js';
import { ViewCache } from './view-cache.js';

/**
 * Options of {@link Dense}.
 *
 * @example
 * const options: DenseOptions = { activationHint: 'relu', seed: 1 };
 */
export interface DenseOptions extends SeededLayerOptions, KernelOptions {}

/**
 * A fully connected layer: y = x·W + b over the last axis, with weights W of shape
 * [inputSize, outputSize] and biases b of shape [outputSize]. Input [..., inputSize], output
 * [..., outputSize].
 *
 * Backward, with X and dY the input and output gradient flattened to rows:
 * dW = Xᵀ·dY, db = Σ_rows dY, dX = dY·Wᵀ (matmul reads the transposes in place, without copies).
 *
 * Parameters `<name>.weights` and `<name>.biases`, drawn at construction from `options.rng` or
 * `createRng(options.seed ?? 0)`, weights first.
 *
 * @example
 * const dense = new Dense(784, 128, { activationHint: 'relu' }); // He-normal weights
 * const y = dense.forward(x);             // x: [64, 784] → y: [64, 128]
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
  private readonly kernelInitializer: InitializerConfig;
  private readonly biasInitializer: InitializerConfig;
  private readonly activationHint: string | undefined;
  private readonly seedEntries: Record<string, JsonValue>;
  private readonly weightsParameter: LayerParameter;
  private readonly biasesParameter: LayerParameter | undefined;
  private readonly inputRows = new ViewCache();
  private readonly gradientRows = new ViewCache();
  private output: Tensor | undefined;
  private inputGradient: Tensor | undefined;
  private readonly forwardOptions: MatmulOptions = {};
  private readonly biasOptions: { out?: Tensor } = {};
  private readonly weightGradientOptions: MatmulOptions;
  private readonly biasGradientOptions: { out?: Tensor };
  private readonly inputGradientOptions: MatmulOptions = { transposeB: true };

  constructor(inputSize: number, outputSize: number, options: DenseOptions = {}) {
    super('Dense', 'dense', options);
    for (const [what, size] of [['inputSize', inputSize], ['outputSize', outputSize]] as const) {
      if (!Number.isSafeInteger(size) || size < 1) throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = defaultKernelInitializer(options);
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    this.activationHint = options.activationHint;
    this.seedEntries = seedConfig(options);
    const fans = { fanIn: inputSize, fanOut: outputSize };
    this.weightsParameter = this.addParameter('weights', [inputSize, outputSize], initializerFromConfig(this.kernelInitializer), fans);
    this.biasesParameter = this.useBias ? this.addParameter('biases', [outputSize], initializerFromConfig(this.biasInitializer), fans) : undefined;
    this.weights = this.weightsParameter.tensor;
    this.biases = this.biasesParameter?.tensor;
    this.weightGradientOptions = { transposeA: true, out: this.weightsParameter.gradient };
    this.biasGradientOptions = { out: this.biasesParameter?.gradient };
    this.initialize(initialRng(options));
  }

  /** Rebuilds a Dense from {@link Dense.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): Dense {
    return new Dense(config.inputSize as number, config.outputSize as number, config as DenseOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return {
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      ...kernelConfigEntries(this.useBias, this.kernelInitializer, this.biasInitializer, this.activationHint, this.seedEntries),
    };
  }

  /** y = x·W + b; the returned tensor is reused by the next call. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    const rank = input.shape.length;
    if (rank < 2 || input.shape[rank - 1] !== this.inputSize) throw inputShapeError(this.operation, `[*, ${this.inputSize}]`, input.shape);
    requireDType(this.operation, input, this.dtype);
    const output = this.outputBuffer(input);
    matmul(input as Tensor<FloatDType>, this.weights as Tensor<FloatDType>, this.forwardOptions);
    if (this.biases !== undefined) add(output, this.biases, this.biasOptions);
    this.lastInput = input;
    this.lastTraining = options?.training ?? false;
    return output;
  }

  /**
   * Writes dW = Xᵀ·dY and db = Σ dY (overwriting) and returns dX = dY·Wᵀ (reused by the next call);
   * with `{ inputGradient: false }` dX is not computed (the first layer of a model needs none).
   */
  backward(outputGradient: Tensor, options?: BackwardOptions): Tensor {
    const output = this.output;
    const input = this.checkBackward(outputGradient, output?.shape ?? [], this.dtype);
    const inputRows = this.rows(this.inputRows, input, this.inputSize);
    const gradientRows = this.rows(this.gradientRows, outputGradient, this.outputSize);
    matmul(inputRows as Tensor<FloatDType>, gradientRows as Tensor<FloatDType>, this.weightGradientOptions);
    if (this.biasesParameter !== undefined) sum(gradientRows, 0, false, this.biasGradientOptions);
    let inputGradient = this.inputGradient;
    if (inputGradient === undefined || !shapesEqual(inputGradient.shape, input.shape)) {
      inputGradient = this.allocateLike(input.shape);
      this.inputGradient = inputGradient;
      this.inputGradientOptions.out = inputGradient;
    }
    if (options?.inputGradient === false) return inputGradient;
    matmul(outputGradient as Tensor<FloatDType>, this.weights as Tensor<FloatDType>, this.inputGradientOptions);
    return inputGradient;
  }

  /** [..., inputSize] → [..., outputSize]. */
  outputShape(inputShape: readonly number[]): number[] {
    const rank = inputShape.length;
    if (rank < 2 || inputShape[rank - 1] !== this.inputSize) throw inputShapeError(this.operation, `[*, ${this.inputSize}]`, inputShape);
    return [...inputShape.slice(0, -1), this.outputSize];
  }

  /** The output buffer for this input, reallocated only when the leading shape changes. */
  private outputBuffer(input: Tensor): Tensor {
    const output = this.output;
    if (output !== undefined && output.shape.length === input.shape.length && sameLeading(output.shape, input.shape)) return output;
    const fresh = this.allocateLike(this.outputShape(input.shape));
    this.output = fresh;
    this.forwardOptions.out = fresh;
    this.biasOptions.out = fresh;
    return fresh;
  }

  private allocateLike(shape: readonly number[]): Tensor {
    return zeros(shape, this.dtype);
  }

  /** `tensor` viewed as rows [product of leading axes, width]; itself when already 2-D. */
  private rows(cache: ViewCache, tensor: Tensor, width: number): Tensor {
    if (tensor.shape.length === 2) return tensor;
    return cache.lookup(tensor) ?? cache.store(tensor, tensor.reshape([-1, width]));
  }
}

function sameLeading(a: readonly number[], b: readonly number[]): boolean {
  for (let axis = 0; axis < a.length - 1; axis++) if (a[axis] !== b[axis]) return false;
  return true;
}
