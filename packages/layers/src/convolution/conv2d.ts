import type { BackwardOptions, FloatDType, JsonValue, LayerConfig } from '@annet/layer-api';
import {
  AnnetError,
  col2im,
  col2imBatchColumnsResident,
  im2col,
  im2colBatchColumnsResident,
  matmul,
  transposeBlocksResident,
  type Tensor,
} from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import type { DenseActivation } from '../core/dense-activation.js';
import { defaultKernelInitializer, kernelConfigEntries, type KernelOptions } from '../core/kernel-options.js';
import { initializerFromConfig } from '../initializers/initializer-from-config.js';
import type { InitializerConfig } from '../initializers/initializer.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import {
  accumulate,
  derivativeGradientAndBiasSum,
  reluGradientAndBiasSum,
  storeSums,
  sumOverBatchAndPositions,
} from './channel-sums.js';
import { checkConvActivation, convEpilogue } from './conv-activation.js';
import { createConvBuffers, type ConvBuffers } from './conv-buffers.js';
import { pairConfig, readPadding, readPair, windowGeometry, type Padding, type PairOption } from './geometry.js';

/**
 * Options of {@link Conv2D}.
 *
 * @example
 * const options: Conv2DOptions = { stride: 2, padding: 'same', activation: 'relu', activationHint: 'relu' };
 */
export interface Conv2DOptions extends SeededLayerOptions, KernelOptions {
  /** Step between windows; default 1. */
  readonly stride?: PairOption;
  /** `'valid'` (default), `'same'`, or explicit zero padding. */
  readonly padding?: Padding;
  /** Spacing between kernel taps; default 1. */
  readonly dilation?: PairOption;
  /**
   * The activation applied to W ⊛ x + b, as Keras's `activation`: `'linear'` (default, none),
   * `'relu'` (in the bias pass), `'sigmoid'` or `'tanh'`; bit for bit the Conv2D followed by the
   * matching activation layer, minus that layer's passes over the data. It does not choose the
   * initializer: add `activationHint: 'relu'` for He-normal weights.
   */
  readonly activation?: DenseActivation;
}

/**
 * 2-D convolution (cross-correlation, as every framework computes it) over NCHW input, through
 * `im2col` and matmul. Float32 on resident memory (the WebAssembly kernels) takes the whole-batch
 * way: columns [C·kH·kW, N·H′W′], so y = W·X and dW = dY·Xᵀ are one product each over the
 * batch (on the demo ResNet at batch 64, 1.4x faster products than 64 per-sample ones), with dW
 * summed in float32 inside the product. Weights [outChannels, inChannels, kH, kW] (PyTorch's layout), biases
 * [outChannels]; output [N, outChannels, H′, W′] (see {@link windowGeometry} for H′ and W′).
 *
 * With columns X = im2col(x) of shape [N, C·kH·kW, H′W′] and W the weights as [F, C·kH·kW]:
 * y[n] = W·X[n] + b; backward: dW = Σₙ dY[n]·X[n]ᵀ, db = Σ_{n,h,w} dY, dX = col2im(Wᵀ·dY[n]).
 * dW is one batched matmul and a sum when outChannels ≤ H′W′ (the [N, F, C·kH·kW] scratch is then
 * no larger than the columns), otherwise one matmul per sample with [F, C·kH·kW] scratch; either
 * way the sums over n and db run in float64, so the results are the bits of that composition of
 * tensor ops. The bias and its gradient are plain per-channel loops (see channel-sums.ts). With an
 * `activation` f: y = f(W·X + b) and the backward pass starts from dZ = dY ⊙ f′(y).
 *
 * Parameters `<name>.weights` and `<name>.biases`, drawn at construction (weights first) with
 * fans `inChannels·kH·kW` and `outChannels·kH·kW`.
 *
 * @example
 * const conv = new Conv2D(1, 8, 3, { padding: 'same', activation: 'relu', activationHint: 'relu' });
 * conv.forward(zeros([64, 1, 28, 28])).shape; // [64, 8, 28, 28]
 */
export class Conv2D extends BaseLayer {
  /** Input channels C. */
  readonly inChannels: number;
  /** Output channels F. */
  readonly outChannels: number;
  /** Kernel `[height, width]`. */
  readonly kernelSize: readonly [number, number];
  /** Step between windows `[height, width]`. */
  readonly stride: readonly [number, number];
  /** Spacing between kernel taps `[height, width]`. */
  readonly dilation: readonly [number, number];
  /** The padding option. */
  readonly padding: Padding;
  /** Whether the layer adds biases. */
  readonly useBias: boolean;
  /** The activation applied to W ⊛ x + b (`'linear'`: none). */
  readonly activation: DenseActivation;
  /** The kernel, [outChannels, inChannels, kH, kW], over the `<name>.weights` parameter's array. */
  readonly weights: Tensor;
  /** b, [outChannels], over `<name>.biases`; undefined without bias. */
  readonly biases: Tensor | undefined;
  private readonly weightsParameter: LayerParameter;
  private readonly biasesParameter: LayerParameter | undefined;
  private readonly weightMatrix: Tensor;
  private readonly weightGradientMatrix: Tensor;
  private readonly kernelInitializer: InitializerConfig;
  private readonly biasInitializer: InitializerConfig;
  private readonly activationHint: string | undefined;
  private readonly seedEntries: Record<string, JsonValue>;
  private readonly batchWeightGradientOptions: { readonly transposeB: true; readonly out: Tensor };
  /** Whether the last forward took the whole-batch way (its columns are then [C·kH·kW, N·H′W′]). */
  private batchWay = false;

  constructor(inChannels: number, outChannels: number, kernelSize: PairOption, options: Conv2DOptions = {}) {
    super('Conv2D', 'conv2d', options);
    for (const [what, size] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
    ] as const) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = readPair(this.operation, 'kernelSize', kernelSize);
    this.stride = readPair(this.operation, 'stride', options.stride ?? 1);
    this.dilation = readPair(this.operation, 'dilation', options.dilation ?? 1);
    this.padding = readPadding(this.operation, options.padding ?? 'valid');
    this.useBias = options.useBias ?? true;
    this.activation = checkConvActivation(this.operation, options.activation);
    this.kernelInitializer = defaultKernelInitializer(options);
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    this.activationHint = options.activationHint;
    this.seedEntries = seedConfig(options);
    const [kernelHeight, kernelWidth] = this.kernelSize;
    const patchSize = inChannels * kernelHeight * kernelWidth;
    const fans = { fanIn: patchSize, fanOut: outChannels * kernelHeight * kernelWidth };
    this.weightsParameter = this.addParameter(
      'weights',
      [outChannels, inChannels, kernelHeight, kernelWidth],
      initializerFromConfig(this.kernelInitializer),
      fans,
    );
    this.biasesParameter = this.useBias
      ? this.addParameter('biases', [outChannels], initializerFromConfig(this.biasInitializer), fans)
      : undefined;
    this.weights = this.weightsParameter.tensor;
    this.biases = this.biasesParameter?.tensor;
    this.weightMatrix = this.weights.reshape([outChannels, patchSize]);
    this.weightGradientMatrix = this.weightsParameter.gradient.reshape([outChannels, patchSize]);
    this.batchWeightGradientOptions = { transposeB: true, out: this.weightGradientMatrix };
    this.initialize(initialRng(options));
  }

  /** Rebuilds a Conv2D from {@link Conv2D.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): Conv2D {
    return new Conv2D(
      config.inChannels as number,
      config.outChannels as number,
      config.kernelSize as PairOption,
      config as Conv2DOptions,
    );
  }

  protected override configEntries(): Record<string, JsonValue> {
    const padding =
      typeof this.padding === 'string' || typeof this.padding === 'number'
        ? this.padding
        : [this.padding[0], this.padding[1]];
    return {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: pairConfig(this.kernelSize),
      stride: pairConfig(this.stride),
      padding,
      dilation: pairConfig(this.dilation),
      ...kernelConfigEntries(
        this.useBias,
        this.kernelInitializer,
        this.biasInitializer,
        this.activationHint,
        this.seedEntries,
      ),
      // Recorded only when not 'linear', so configs from before the option existed stay as they were.
      ...(this.activation === 'linear' ? {} : { activation: this.activation }),
    };
  }

  /** y = f(W ⊛ x + b) over [N, inChannels, H, W]; the returned tensor is reused by the next call. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    if (input.shape.length !== 4 || input.shape[1] !== this.inChannels)
      throw inputShapeError(this.operation, `[N,${this.inChannels},H,W]`, input.shape);
    requireDType(this.operation, input, this.dtype);
    const buffers = this.workspace.derive('buffers', this.dtype, input.shape, this.createBuffers);
    this.batchWay =
      this.dtype === 'float32' &&
      buffers.batchWayResident &&
      input.isContiguous &&
      im2colBatchColumnsResident(input, buffers.im2colOptions, buffers.batchColumns);
    if (this.batchWay) {
      matmul(
        this.weightMatrix as Tensor<FloatDType>,
        buffers.batchColumns as Tensor<FloatDType>,
        buffers.batchForwardOptions,
      );
      const { batchSize, positions } = buffers;
      transposeBlocksResident(buffers.productOutput, buffers.outputColumns, this.outChannels, batchSize, positions);
    } else {
      im2col(input as Tensor<FloatDType>, buffers.im2colOptions);
      matmul(this.weightMatrix as Tensor<FloatDType>, buffers.columns as Tensor<FloatDType>, buffers.forwardOptions);
    }
    if (this.activation !== 'linear' || this.biases !== undefined)
      convEpilogue(this.activation, buffers.outputColumns, this.biases);
    this.lastInput = input;
    this.lastTraining = options?.training ?? false;
    return buffers.output;
  }

  /**
   * Writes dW and db (overwriting) and returns dX (reused by the next call), from dZ = dY ⊙ f′
   * (dY itself without activation); with `{ inputGradient: false }` dX is not computed (the first
   * layer of a model needs none).
   */
  backward(outputGradient: Tensor, options?: BackwardOptions): Tensor {
    const buffers = this.workspace.current<ConvBuffers>('buffers');
    this.checkBackward(outputGradient, buffers?.output.shape ?? [], this.dtype);
    const space = buffers as ConvBuffers;
    const gradientColumns =
      space.preActivationGradient === undefined
        ? (this.workspace.view('gradientColumns', outputGradient) ??
          this.workspace.keepView('gradientColumns', outputGradient, outputGradient.reshape(space.outputColumns.shape)))
        : this.throughActivation(outputGradient, space, space.preActivationGradient);
    if (this.batchWay) this.batchWeightGradient(space, contiguousInput(gradientColumns));
    else this.computeWeightGradient(space, gradientColumns);
    if (this.biasesParameter !== undefined && this.activation === 'linear') {
      const gradient = contiguousInput(gradientColumns);
      const biasGradient = this.biasesParameter.gradient;
      sumOverBatchAndPositions(
        floatData(gradient),
        gradient.offset,
        space.batchSize,
        this.outChannels,
        space.positions,
        floatData(biasGradient),
        biasGradient.offset,
      );
    }
    if (options?.inputGradient === false) return space.inputGradient;
    if (this.batchWay) {
      matmul(
        this.weightMatrix as Tensor<FloatDType>,
        space.productGradient as Tensor<FloatDType>,
        space.batchColumnGradientOptions,
      );
      col2imBatchColumnsResident(space.batchColumnGradient, space.col2imOptions, space.inputGradient);
      return space.inputGradient;
    }
    matmul(this.weightMatrix as Tensor<FloatDType>, gradientColumns as Tensor<FloatDType>, space.columnGradientOptions);
    col2im(space.columnGradient, space.inputGradient.shape, space.col2imOptions);
    return space.inputGradient;
  }

  /**
   * The whole-batch way (float32, resident): dZ's [N, F, H′W′] blocks moved to [F, N·H′W′], then
   * dW = dZ·Xᵀ as one product of depth N·H′W′ (float32 sums inside the kernel, where the
   * per-sample way sums the samples' products in float64), straight into the gradient.
   */
  private batchWeightGradient(space: ConvBuffers, gradient: Tensor): void {
    const { batchSize, positions } = space;
    if (!transposeBlocksResident(gradient, space.productGradient, batchSize, this.outChannels, positions)) {
      // dY in ordinary memory (a caller's own array): the same move in TypeScript.
      const source = floatData(gradient);
      const target = floatData(space.productGradient);
      for (let n = 0; n < batchSize; n++)
        for (let f = 0; f < this.outChannels; f++)
          for (let p = 0; p < positions; p++)
            target[(f * batchSize + n) * positions + p] =
              source[gradient.offset + (n * this.outChannels + f) * positions + p];
    }
    matmul(
      space.productGradient as Tensor<FloatDType>,
      space.batchColumns as Tensor<FloatDType>,
      this.batchWeightGradientOptions,
    );
  }

  /**
   * dZ = dY ⊙ f′(y), from the output y, into the workspace's [N, F, H′W′] buffer, with the bias
   * gradient Σ dZ taken in the same sweep.
   */
  private throughActivation(outputGradient: Tensor, space: ConvBuffers, preActivationGradient: Tensor): Tensor {
    const dy = contiguousInput(outputGradient);
    if (this.activation === 'relu') {
      const biasGradient = this.biasesParameter?.gradient;
      reluGradientAndBiasSum(
        floatData(space.output),
        floatData(dy),
        dy.offset,
        floatData(preActivationGradient),
        space.batchSize,
        this.outChannels,
        space.positions,
        this.workspace.scratch('channelSums', 'float64', this.outChannels),
        biasGradient === undefined ? undefined : floatData(biasGradient),
        biasGradient?.offset ?? 0,
      );
    } else {
      const biasGradient = this.biasesParameter?.gradient;
      derivativeGradientAndBiasSum(
        this.activation === 'tanh',
        floatData(space.output),
        floatData(dy),
        dy.offset,
        floatData(preActivationGradient),
        space.batchSize,
        this.outChannels,
        space.positions,
        this.workspace.scratch('channelSums', 'float64', this.outChannels),
        biasGradient === undefined ? undefined : floatData(biasGradient),
        biasGradient?.offset ?? 0,
      );
    }
    return preActivationGradient;
  }

  /**
   * dW = Σₙ dY[n]·X[n]ᵀ, summed in float64 in sample order, so both ways give the same bits: one
   * batched matmul into [N, F, C·kH·kW] scratch when that is no larger than the columns
   * (F ≤ H′W′), otherwise one matmul per sample into [F, C·kH·kW] scratch.
   */
  private computeWeightGradient(space: ConvBuffers, gradientColumns: Tensor): void {
    // float64 running sums behind dW, [F·C·kH·kW].
    const sums = this.workspace.scratch('weightGradientSums', 'float64', this.weightGradientMatrix.size);
    const size = sums.length;
    sums.fill(0);
    const perSample = space.sampleWeightGradients;
    if (perSample !== undefined) {
      matmul(
        gradientColumns as Tensor<FloatDType>,
        space.columns as Tensor<FloatDType>,
        space.sampleWeightGradientOptions,
      );
      for (let n = 0; n < space.batchSize; n++)
        accumulate(sums, floatData(perSample), perSample.offset + n * size, size);
    } else {
      const samples = this.gradientSamples(gradientColumns, space.batchSize);
      const scratch = space.weightGradientSample;
      for (let n = 0; n < space.batchSize; n++) {
        matmul(
          samples[n] as Tensor<FloatDType>,
          space.columnSamples[n] as Tensor<FloatDType>,
          space.weightGradientSampleOptions,
        );
        accumulate(sums, floatData(scratch), scratch.offset, size);
      }
    }
    storeSums(sums, floatData(this.weightGradientMatrix), this.weightGradientMatrix.offset, size);
  }

  /**
   * dZ's per-sample slices, kept while the same dZ comes back. A method of its own: a closure
   * over `gradientColumns` in computeWeightGradient made V8 allocate a context on every call.
   */
  private gradientSamples(gradientColumns: Tensor, batchSize: number): readonly Tensor[] {
    return (
      this.workspace.view<Tensor[]>('gradientSamples', gradientColumns) ??
      this.workspace.keepView(
        'gradientSamples',
        gradientColumns,
        Array.from({ length: batchSize }, (_, n) => gradientColumns.slice(n)),
      )
    );
  }

  /** [N, inChannels, H, W] → [N, outChannels, H′, W′]. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 4 || (inputShape[1] !== this.inChannels && inputShape[1] !== -1))
      throw inputShapeError(this.operation, `[N,${this.inChannels},H,W]`, inputShape);
    const geometry = windowGeometry(
      this.operation,
      inputShape[2],
      inputShape[3],
      this.kernelSize,
      this.stride,
      this.dilation,
      this.padding,
    );
    return [inputShape[0], this.outChannels, geometry.outputHeight, geometry.outputWidth];
  }

  /** The {@link ConvBuffers} for an input shape; a field, so `workspace.derive` gets the same function on every step. */
  private readonly createBuffers = (shape: readonly number[]): ConvBuffers =>
    createConvBuffers(
      {
        operation: this.operation,
        outChannels: this.outChannels,
        kernelSize: this.kernelSize,
        stride: this.stride,
        dilation: this.dilation,
        padding: this.padding,
        dtype: this.dtype,
        withActivation: this.activation !== 'linear',
      },
      shape,
    );
}
