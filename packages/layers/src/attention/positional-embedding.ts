import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { initializerFromConfig } from '../initializers/initializer-from-config.js';
import type { InitializerConfig } from '../initializers/initializer.js';
import { requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { checkSequenceShape } from './sequence-shape.js';

/**
 * Options of {@link PositionalEmbedding}.
 *
 * @example
 * const options: PositionalEmbeddingOptions = { positionsInitializer: { name: 'normal', standardDeviation: 0.02 } };
 */
export interface PositionalEmbeddingOptions extends SeededLayerOptions {
  /** Initializer of the table; default `'uniform'` (U(−0.05, 0.05), as Keras). */
  readonly positionsInitializer?: InitializerConfig;
}

/**
 * Learned absolute positions (GPT's `wpe`): adds row t of a `[maxLength, embeddingSize]` table to
 * every sample's time step t, y[b, t, :] = x[b, t, :] + P[t, :], over `[batch, time, embeddingSize]`
 * with time ≤ maxLength. Backward: dx = dy, dP[t] = Σ_b dy[b, t] (rows ≥ time get 0).
 *
 * Parameter `<name>.positions`.
 *
 * @example
 * const tokens = new Embedding(85, 128), positions = new PositionalEmbedding(64, 128);
 * positions.forward(tokens.forward(indices)); // indices [12, 64] → [12, 64, 128]
 */
export class PositionalEmbedding extends BaseLayer {
  /** Longest sequence the table covers (the block size). */
  readonly maxLength: number;
  readonly embeddingSize: number;
  private readonly positions: LayerParameter;
  private readonly positionsInitializer: InitializerConfig;
  private readonly seedEntries: Record<string, JsonValue>;

  constructor(maxLength: number, embeddingSize: number, options: PositionalEmbeddingOptions = {}) {
    super('PositionalEmbedding', 'positional_embedding', options);
    for (const [what, size] of [
      ['maxLength', maxLength],
      ['embeddingSize', embeddingSize],
    ] as const) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    this.maxLength = maxLength;
    this.embeddingSize = embeddingSize;
    this.positionsInitializer = options.positionsInitializer ?? 'uniform';
    this.seedEntries = seedConfig(options);
    this.positions = this.addParameter(
      'positions',
      [maxLength, embeddingSize],
      initializerFromConfig(this.positionsInitializer),
      { fanIn: maxLength, fanOut: embeddingSize },
    );
    this.initialize(initialRng(options));
  }

  /** Rebuilds a PositionalEmbedding from {@link PositionalEmbedding.getConfig}. */
  static fromConfig(config: LayerConfig): PositionalEmbedding {
    return new PositionalEmbedding(
      config.maxLength as number,
      config.embeddingSize as number,
      config as PositionalEmbeddingOptions,
    );
  }

  protected override configEntries(): Record<string, JsonValue> {
    return {
      maxLength: this.maxLength,
      embeddingSize: this.embeddingSize,
      positionsInitializer: this.positionsInitializer,
      ...this.seedEntries,
    };
  }

  /** y[b, t] = x[b, t] + P[t]. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    checkSequenceShape(this.operation, input.shape, this.maxLength, this.embeddingSize);
    requireDType(this.operation, input, this.dtype);
    const x = contiguousInput(input);
    const output = this.workspace.buffer('output', this.dtype, x.shape);
    const source = floatData(x);
    const target = floatData(output);
    const table = this.positions.value;
    const rowLength = x.shape[1] * this.embeddingSize;
    for (let sample = 0; sample < x.shape[0]; sample++) {
      const base = sample * rowLength;
      for (let index = 0; index < rowLength; index++)
        target[base + index] = source[x.offset + base + index] + table[index];
    }
    this.recordForward(x, options);
    return output;
  }

  /** dP[t] = Σ_b dy[b, t] (overwriting); returns dy itself (dx = dy). */
  backward(outputGradient: Tensor): Tensor {
    this.checkBackward(outputGradient, this.workspace.current('output')?.shape ?? [], this.dtype);
    const gradient = contiguousInput(outputGradient);
    const values = floatData(gradient);
    const table = this.positions.grad;
    const rowLength = gradient.shape[1] * this.embeddingSize;
    table.fill(0);
    for (let sample = 0; sample < gradient.shape[0]; sample++) {
      const base = gradient.offset + sample * rowLength;
      for (let index = 0; index < rowLength; index++) table[index] += values[base + index];
    }
    return outputGradient;
  }

  /** The same shape as the input. */
  outputShape(inputShape: readonly number[]): number[] {
    checkSequenceShape(this.operation, inputShape, this.maxLength, this.embeddingSize);
    return inputShape.slice();
  }
}
