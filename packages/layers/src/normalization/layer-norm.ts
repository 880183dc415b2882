import type { JsonValue, LayerConfig } from '@annet/layer-api';
import {
  AnnetError,
  createRng,
  formatShape,
  layerNormBackwardResident,
  layerNormResident,
  type Tensor,
} from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData, type FloatData } from '../buffers.js';
import { initializers } from '../initializers/initializers.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { layerNormBackward, layerNormForward, layerNormStatistics } from './layer-norm-rows.js';

/**
 * Options of {@link LayerNorm}.
 *
 * @example
 * const options: LayerNormOptions = { epsilon: 1e-6 };
 */
export interface LayerNormOptions extends LayerOptions {
  /** Added to the variance before the square root; default 1e-5. */
  readonly epsilon?: number;
}

/**
 * Layer normalization (Ba et al., 2016, https://arxiv.org/abs/1607.06450) over the trailing
 * `normalizedShape` axes of each sample, with the same behaviour in training and inference.
 *
 * Per row of D = product(normalizedShape) values: μ = mean x, σ² = mean (x − μ)²,
 * x̂ = (x − μ)/√(σ² + ε), y = γ ⊙ x̂ + β. Backward with g = dy ⊙ γ:
 * dx = (g − mean g − x̂·mean(g ⊙ x̂))/√(σ² + ε), dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy.
 * Float32 buffers in the kernels' memory with a multiple of 4 features go to WebAssembly SIMD
 * (`layerNormResident` of @annet/tensor; float32 sums); otherwise TypeScript loops, float64 sums.
 *
 * @example
 * const norm = new LayerNorm(512);
 * norm.forward(x); // x: [batch, tokens, 512]
 */
export class LayerNorm extends BaseLayer {
  /** The trailing shape normalized over. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Scale γ, shaped `normalizedShape` (a tensor over the `<name>.gamma` parameter's array). */
  readonly gamma: Tensor;
  /** Shift β, shaped `normalizedShape` (over `<name>.beta`). */
  readonly beta: Tensor;
  private readonly gammaParameter: LayerParameter;
  private readonly betaParameter: LayerParameter;
  private readonly featureSize: number;
  /** Whether the last forward kept μ and 1/√(σ² + ε) per row (its TypeScript loop does; the WebAssembly kernel recomputes them in backward). */
  private statisticsKept = false;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super('LayerNorm', 'layer_norm', options);
    const shape =
      typeof normalizedShape === 'number'
        ? [normalizedShape]
        : Array.isArray(normalizedShape)
          ? normalizedShape.slice()
          : [];
    if (shape.length === 0 || !shape.every((dimension) => Number.isSafeInteger(dimension) && dimension > 0)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `normalizedShape must be a positive integer or a non-empty array of them, got ${JSON.stringify(normalizedShape)}`,
      );
    }
    this.normalizedShape = shape;
    this.featureSize = shape.reduce((product, dimension) => product * dimension, 1);
    this.epsilon = options.epsilon ?? 1e-5;
    if (!(this.epsilon > 0))
      throw new AnnetError('INVALID_ARGUMENT', this.operation, `epsilon must be positive, got ${this.epsilon}`);
    const fans = { fanIn: this.featureSize, fanOut: this.featureSize };
    this.gammaParameter = this.addParameter('gamma', shape, initializers.ones, fans);
    this.betaParameter = this.addParameter('beta', shape, initializers.zeros, fans);
    this.gamma = this.gammaParameter.tensor;
    this.beta = this.betaParameter.tensor;
    this.initialize(createRng(0)); // ones and zeros: nothing is drawn
  }

  /** Rebuilds a LayerNorm from {@link LayerNorm.getConfig}. */
  static fromConfig(config: LayerConfig): LayerNorm {
    return new LayerNorm(config.normalizedShape as number[], config as LayerNormOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { normalizedShape: this.normalizedShape.slice(), epsilon: this.epsilon };
  }

  /** Normalizes every row over the trailing `normalizedShape` axes. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    this.checkInputShape(input.shape);
    requireDType(this.operation, input, this.dtype);
    const x = contiguousInput(input);
    const rows = x.size / this.featureSize;
    const output = this.workspace.buffer('output', this.dtype, x.shape);
    const data = floatData(x);
    const gamma = this.gammaParameter.value as Float32Array;
    const beta = this.betaParameter.value as Float32Array;
    const resident =
      data instanceof Float32Array &&
      x.offset === 0 &&
      layerNormResident(data, output.data as Float32Array, gamma, beta, rows, this.featureSize, this.epsilon);
    this.statisticsKept = !resident;
    if (this.statisticsKept) this.normalize(data, x.offset, floatData(output), rows);
    this.lastInput = x;
    this.lastTraining = options?.training ?? false;
    return output;
  }

  /** Writes dγ and dβ (overwriting) and returns dx; see the class formula. */
  backward(outputGradient: Tensor): Tensor {
    const x = this.checkBackward(outputGradient, this.workspace.current('output')?.shape ?? [], this.dtype);
    const gradient = contiguousInput(outputGradient);
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, x.shape);
    const rows = x.size / this.featureSize;
    // Per-row μ and 1/√(σ² + ε) from the forward pass.
    const mean = this.workspace.scratch('mean', 'float64', rows);
    const inverseDeviation = this.workspace.scratch('inverseDeviation', 'float64', rows);
    const gammaGradient = this.gammaParameter.grad;
    const betaGradient = this.betaParameter.grad;
    gammaGradient.fill(0);
    betaGradient.fill(0);
    const data = floatData(x);
    if (
      data instanceof Float32Array &&
      x.offset === 0 &&
      gradient.offset === 0 &&
      layerNormBackwardResident(
        data,
        gradient.data as Float32Array,
        this.gammaParameter.value as Float32Array,
        inputGradient.data as Float32Array,
        gammaGradient as Float32Array,
        betaGradient as Float32Array,
        rows,
        this.featureSize,
        this.epsilon,
      )
    )
      return inputGradient;
    if (!this.statisticsKept)
      layerNormStatistics(data, x.offset, rows, this.featureSize, this.epsilon, mean, inverseDeviation);
    layerNormBackward(
      data,
      x.offset,
      floatData(gradient),
      gradient.offset,
      floatData(inputGradient),
      rows,
      this.featureSize,
      mean,
      inverseDeviation,
      this.gammaParameter.value,
      gammaGradient,
      betaGradient,
    );
    return inputGradient;
  }

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    this.checkInputShape(inputShape);
    return inputShape.slice();
  }

  private checkInputShape(shape: readonly number[]): void {
    const lead = shape.length - this.normalizedShape.length;
    let matches = lead >= 0;
    for (let axis = 0; matches && axis < this.normalizedShape.length; axis++)
      matches = shape[lead + axis] === this.normalizedShape[axis];
    if (!matches)
      throw inputShapeError(this.operation, `[...,${formatShape(this.normalizedShape).slice(1, -1)}]`, shape);
  }

  private normalize(input: FloatData, inputOffset: number, output: FloatData, rows: number): void {
    const mean = this.workspace.scratch('mean', 'float64', rows);
    const inverseDeviation = this.workspace.scratch('inverseDeviation', 'float64', rows);
    layerNormForward(
      input,
      inputOffset,
      output,
      rows,
      this.featureSize,
      this.epsilon,
      this.gammaParameter.value,
      this.betaParameter.value,
      mean,
      inverseDeviation,
    );
  }
}
