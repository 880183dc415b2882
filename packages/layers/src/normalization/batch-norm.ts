import type { JsonValue, LayerConfig } from '@annet/layer-api';
import {
  AnnetError,
  batchNormGradientSumsResident,
  batchNormInputGradientResident,
  batchNormNormalizeResident,
  channelSumsResident,
  createRng,
  formatShape,
  type BatchNormGradientStatistics,
  type ChannelLayout,
  type Tensor,
} from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { initializers } from '../initializers/initializers.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerBuffer, LayerParameter } from '../layer-parameter.js';

/** BatchNorm's per-channel float64 workspace arrays (see `BatchNorm.statistic`). */
type StatisticName =
  | 'mean'
  | 'inverseDeviation'
  | 'sumGradient'
  | 'sumGradientNormalized'
  | 'scale'
  | 'shift'
  | 'factor'
  | 'meanGradient'
  | 'meanGradientNormalized';

/**
 * Options of {@link BatchNorm}.
 *
 * @example
 * const options: BatchNormOptions = { momentum: 0.01, epsilon: 1e-3 };
 */
export interface BatchNormOptions extends LayerOptions {
  /** Weight of the newest batch in the running statistics; default 0.1 (PyTorch's convention). */
  readonly momentum?: number;
  /** Added to the variance before the square root; default 1e-5. */
  readonly epsilon?: number;
}

/**
 * Batch normalization (Ioffe and Szegedy, 2015, https://arxiv.org/abs/1502.03167) over the
 * features of [N, C] or the channels of [N, C, H, W] (any [N, C, ...]).
 *
 * Training, per channel c over the m = N·H·W values: μ = mean x, σ² = mean (x − μ)² (biased),
 * x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β; the running statistics become
 * runningMean ← (1 − momentum)·runningMean + momentum·μ and
 * runningVariance ← (1 − momentum)·runningVariance + momentum·σ²·m/(m − 1) (unbiased), as in PyTorch.
 * Inference: x̂ = (x − runningMean)/√(runningVariance + ε).
 * Backward (training): dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(m√(σ² + ε))·(m·dy − Σ dy − x̂·Σ dy·x̂).
 *
 * Parameters `<name>.gamma` (ones) and `<name>.beta` (zeros); buffers `<name>.runningMean` (zeros)
 * and `<name>.runningVariance` (ones).
 *
 * @example
 * const norm = new BatchNorm(16);
 * norm.forward(x, { training: true }); // x: [N, 16, H, W]
 */
export class BatchNorm extends BaseLayer {
  /** Number of features or channels, C. */
  readonly featureCount: number;
  /** Weight of the newest batch in the running statistics. */
  readonly momentum: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Scale γ, shape [C] (a tensor over the `<name>.gamma` parameter's array). */
  readonly gamma: Tensor;
  /** Shift β, shape [C] (over `<name>.beta`). */
  readonly beta: Tensor;
  /** Running mean, shape [C] (over the `<name>.runningMean` buffer). */
  readonly runningMean: Tensor;
  /** Running (unbiased) variance, shape [C] (over `<name>.runningVariance`). */
  readonly runningVariance: Tensor;
  private readonly gammaParameter: LayerParameter;
  private readonly betaParameter: LayerParameter;
  private readonly runningMeanBuffer: LayerBuffer;
  private readonly runningVarianceBuffer: LayerBuffer;

  constructor(featureCount: number, options: BatchNormOptions = {}) {
    super('BatchNorm', 'batch_norm', options);
    if (!Number.isSafeInteger(featureCount) || featureCount < 1) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `featureCount must be a positive integer, got ${featureCount}`,
      );
    }
    this.featureCount = featureCount;
    this.momentum = options.momentum ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-5;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.epsilon > 0))
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `epsilon must be positive, got ${this.epsilon}`);
    const fans = { fanIn: featureCount, fanOut: featureCount };
    this.gammaParameter = this.addParameter('gamma', [featureCount], initializers.ones, fans);
    this.betaParameter = this.addParameter('beta', [featureCount], initializers.zeros, fans);
    this.runningMeanBuffer = this.addBuffer('runningMean', [featureCount], 0);
    this.runningVarianceBuffer = this.addBuffer('runningVariance', [featureCount], 1);
    this.gamma = this.gammaParameter.tensor;
    this.beta = this.betaParameter.tensor;
    this.runningMean = this.runningMeanBuffer.tensor;
    this.runningVariance = this.runningVarianceBuffer.tensor;
    this.initialize(createRng(0)); // ones and zeros: nothing is drawn
  }

  /** Rebuilds a BatchNorm from {@link BatchNorm.getConfig}. */
  static fromConfig(config: LayerConfig): BatchNorm {
    return new BatchNorm(config.featureCount as number, config as BatchNormOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { featureCount: this.featureCount, momentum: this.momentum, epsilon: this.epsilon };
  }

  /** Normalizes with batch statistics while training (updating the running ones), running statistics otherwise. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    if (input.shape.length < 2 || input.shape[1] !== this.featureCount) {
      throw inputShapeError(this.operation, `[N,${this.featureCount}] or [N,${this.featureCount},H,W]`, input.shape);
    }
    requireDType(this.operation, input, this.dtype);
    const training = options?.training ?? false;
    const x = contiguousInput(input);
    const inner = x.size / (x.shape[0] * this.featureCount) || 0;
    const count = x.shape[0] * inner;
    if (training) {
      if (count < 2)
        throw new AnnetError(
          'SHAPE_MISMATCH',
          this.operation,
          `training needs more than one value per channel, got input ${formatShape(x.shape)}`,
        );
      this.batchStatistics(floatData(x), x.offset, x.shape[0], inner);
    } else {
      this.runningStatistics();
    }
    const output = this.workspace.buffer('output', this.dtype, x.shape);
    this.normalize(floatData(x), x.offset, floatData(output), x.shape[0], inner);
    this.lastInput = x;
    this.lastTraining = training;
    return output;
  }

  /** Writes dγ and dβ (overwriting) and returns dx; see the class formula. */
  backward(outputGradient: Tensor): Tensor {
    const x = this.checkBackward(outputGradient, this.workspace.current('output')?.shape ?? [], this.dtype);
    const gradient = contiguousInput(outputGradient);
    const batchSize = x.shape[0];
    const channels = this.featureCount;
    const inner = x.size / (batchSize * channels) || 0;
    const input = floatData(x);
    const dy = floatData(gradient);
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    const sumGradient = this.statistic('sumGradient');
    const sumGradientNormalized = this.statistic('sumGradientNormalized');
    const layout = this.layoutOf(batchSize, inner);
    const resident =
      input instanceof Float32Array &&
      dy instanceof Float32Array &&
      batchNormGradientSumsResident(
        input,
        x.offset,
        dy,
        gradient.offset,
        layout,
        mean,
        inverseDeviation,
        sumGradient,
        sumGradientNormalized,
      );
    if (!resident) this.gradientSums(input, x.offset, dy, gradient.offset, batchSize, inner);
    const gamma = this.gammaParameter.value;
    for (let c = 0; c < channels; c++) {
      this.gammaParameter.grad[c] = sumGradientNormalized[c];
      this.betaParameter.grad[c] = sumGradient[c];
    }
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, x.shape);
    this.inputGradientLoop(input, x.offset, dy, gradient.offset, floatData(inputGradient), gamma, batchSize, inner);
    return inputGradient;
  }

  /** Σ dy and Σ dy·x̂ per channel (float64, overwriting), the TypeScript way. */
  private gradientSums(
    input: FloatData,
    inputOffset: number,
    dy: FloatData,
    gradientOffset: number,
    batchSize: number,
    inner: number,
  ): void {
    const channels = this.featureCount;
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    const sumGradient = this.statistic('sumGradient');
    const sumGradientNormalized = this.statistic('sumGradientNormalized');
    sumGradient.fill(0);
    sumGradientNormalized.fill(0);
    for (let n = 0; n < batchSize; n++) {
      for (let c = 0; c < channels; c++) {
        const base = (n * channels + c) * inner;
        const mu = mean[c];
        const scale = inverseDeviation[c];
        let sum = 0;
        let sumNormalized = 0;
        for (let i = 0; i < inner; i++) {
          const g = dy[gradientOffset + base + i];
          sum += g;
          sumNormalized += g * (input[inputOffset + base + i] - mu) * scale;
        }
        sumGradient[c] += sum;
        sumGradientNormalized[c] += sumNormalized;
      }
    }
  }

  /** The [N, C, inner] layout of the resident kernels, kept per shape (no allocation per step). */
  private layoutOf(batch: number, inner: number): ChannelLayout {
    const kept = this.layout;
    if (kept !== undefined && kept.batch === batch && kept.inner === inner) return kept;
    return (this.layout = { batch, channels: this.featureCount, inner });
  }

  private layout: ChannelLayout | undefined;
  private keptGradientStatistics: BatchNormGradientStatistics | undefined;

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2 || (inputShape[1] !== this.featureCount && inputShape[1] !== -1)) {
      throw inputShapeError(this.operation, `[N,${this.featureCount}] or [N,${this.featureCount},H,W]`, inputShape);
    }
    return inputShape.slice();
  }

  /**
   * A per-channel float64 array of the workspace: `mean` and `inverseDeviation` (1/√(σ² + ε)) from
   * the last forward, `sumGradient` (Σ dy) and `sumGradientNormalized` (Σ dy·x̂) from backward.
   */
  private statistic(name: StatisticName): Float64Array {
    return this.workspace.scratch(name, 'float64', this.featureCount);
  }

  private inputGradientLoop(
    input: FloatData,
    inputOffset: number,
    dy: FloatData,
    gradientOffset: number,
    dx: FloatData,
    gamma: FloatData,
    batchSize: number,
    inner: number,
  ): void {
    const channels = this.featureCount;
    const count = batchSize * inner;
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    const sumGradient = this.statistic('sumGradient');
    const sumGradientNormalized = this.statistic('sumGradientNormalized');
    if (
      this.lastTraining &&
      input instanceof Float32Array &&
      dy instanceof Float32Array &&
      dx instanceof Float32Array
    ) {
      const statistics = this.gradientStatistics(gamma, count);
      const layout = this.layoutOf(batchSize, inner);
      if (batchNormInputGradientResident(input, inputOffset, dy, gradientOffset, dx, layout, statistics)) return;
    }
    for (let n = 0; n < batchSize; n++) {
      for (let c = 0; c < channels; c++) {
        const base = (n * channels + c) * inner;
        const mu = mean[c];
        const scale = inverseDeviation[c];
        const factor = gamma[c] * scale;
        if (!this.lastTraining) {
          // Running statistics are constants: dx = γ·dy/√(runningVariance + ε).
          for (let i = 0; i < inner; i++) dx[base + i] = factor * dy[gradientOffset + base + i];
          continue;
        }
        const meanGradient = sumGradient[c] / count;
        const meanGradientNormalized = sumGradientNormalized[c] / count;
        for (let i = 0; i < inner; i++) {
          const normalized = (input[inputOffset + base + i] - mu) * scale;
          dx[base + i] = factor * (dy[gradientOffset + base + i] - meanGradient - normalized * meanGradientNormalized);
        }
      }
    }
  }

  /** The per-channel values of the training input gradient, computed as the TypeScript loop computes them. */
  private gradientStatistics(gamma: FloatData, count: number): BatchNormGradientStatistics {
    const mean = this.statistic('mean');
    let statistics = this.keptGradientStatistics;
    if (statistics === undefined || statistics.mean !== mean)
      statistics = this.keptGradientStatistics = {
        mean,
        inverseDeviation: this.statistic('inverseDeviation'),
        factor: this.statistic('factor'),
        meanGradient: this.statistic('meanGradient'),
        meanGradientNormalized: this.statistic('meanGradientNormalized'),
      };
    const sumGradient = this.statistic('sumGradient');
    const sumGradientNormalized = this.statistic('sumGradientNormalized');
    for (let c = 0; c < this.featureCount; c++) {
      statistics.factor[c] = gamma[c] * statistics.inverseDeviation[c];
      statistics.meanGradient[c] = sumGradient[c] / count;
      statistics.meanGradientNormalized[c] = sumGradientNormalized[c] / count;
    }
    return statistics;
  }

  private batchStatistics(input: FloatData, offset: number, batchSize: number, inner: number): void {
    const channels = this.featureCount;
    const count = batchSize * inner;
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    mean.fill(0);
    inverseDeviation.fill(0);
    const layout = this.layoutOf(batchSize, inner);
    const resident = input instanceof Float32Array && channelSumsResident(input, offset, layout, mean);
    if (!resident) this.channelSums(input, offset, batchSize, inner, mean);
    for (let c = 0; c < channels; c++) mean[c] /= count;
    // Two passes (mean, then squared deviations) avoid the cancellation of E[x²] − E[x]².
    if (!resident || !channelSumsResident(input, offset, layout, inverseDeviation, mean))
      this.squaredDeviations(input, offset, batchSize, inner);
    const runningMean = this.runningMeanBuffer.value;
    const runningVariance = this.runningVarianceBuffer.value;
    const momentum = this.momentum;
    for (let c = 0; c < channels; c++) {
      const variance = inverseDeviation[c] / count;
      runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
      runningVariance[c] = (1 - momentum) * runningVariance[c] + momentum * variance * (count / (count - 1));
      inverseDeviation[c] = 1 / Math.sqrt(variance + this.epsilon);
    }
  }

  /** sums[c] += Σ x over channel c, the TypeScript way. */
  private channelSums(input: FloatData, offset: number, batchSize: number, inner: number, sums: Float64Array): void {
    const channels = this.featureCount;
    for (let n = 0; n < batchSize; n++) {
      for (let c = 0; c < channels; c++) {
        const base = offset + (n * channels + c) * inner;
        let sum = 0;
        for (let i = 0; i < inner; i++) sum += input[base + i];
        sums[c] += sum;
      }
    }
  }

  /** inverseDeviation[c] += Σ (x − μ)² over channel c (the variance's numerator for now), the TypeScript way. */
  private squaredDeviations(input: FloatData, offset: number, batchSize: number, inner: number): void {
    const channels = this.featureCount;
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    for (let n = 0; n < batchSize; n++) {
      for (let c = 0; c < channels; c++) {
        const base = offset + (n * channels + c) * inner;
        const mu = mean[c];
        let sum = 0;
        for (let i = 0; i < inner; i++) {
          const deviation = input[base + i] - mu;
          sum += deviation * deviation;
        }
        inverseDeviation[c] += sum;
      }
    }
  }

  private runningStatistics(): void {
    const runningMean = this.runningMeanBuffer.value;
    const runningVariance = this.runningVarianceBuffer.value;
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    for (let c = 0; c < this.featureCount; c++) {
      mean[c] = runningMean[c];
      inverseDeviation[c] = 1 / Math.sqrt(runningVariance[c] + this.epsilon);
    }
  }

  private normalize(input: FloatData, inputOffset: number, output: FloatData, batchSize: number, inner: number): void {
    const channels = this.featureCount;
    const gamma = this.gammaParameter.value;
    const beta = this.betaParameter.value;
    const mean = this.statistic('mean');
    const inverseDeviation = this.statistic('inverseDeviation');
    if (input instanceof Float32Array && output instanceof Float32Array) {
      const scale = this.statistic('scale');
      const shift = this.statistic('shift');
      for (let c = 0; c < channels; c++) {
        scale[c] = inverseDeviation[c] * gamma[c];
        shift[c] = beta[c];
      }
      if (batchNormNormalizeResident(input, inputOffset, output, this.layoutOf(batchSize, inner), mean, scale, shift))
        return;
    }
    for (let n = 0; n < batchSize; n++) {
      for (let c = 0; c < channels; c++) {
        const base = (n * channels + c) * inner;
        const mu = mean[c];
        const scale = inverseDeviation[c] * gamma[c];
        const shift = beta[c];
        for (let i = 0; i < inner; i++) output[base + i] = (input[inputOffset + base + i] - mu) * scale + shift;
      }
    }
  }
}
