import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, formatShape, gather, type GatherOptions, type Rng, type Tensor } from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { initializerFromConfig } from '../initializers/initializer-from-config.js';
import type { InitializerConfig } from '../initializers/initializer.js';
import type { LayerParameter } from '../layer-parameter.js';
import { attachMask } from '../recurrent/sequence-mask.js';

/**
 * Options of {@link Embedding}.
 *
 * @example
 * const options: EmbeddingOptions = { embeddingsInitializer: { name: 'normal', standardDeviation: 0.02 } };
 */
export interface EmbeddingOptions extends SeededLayerOptions {
  /** Initializer of the table; default `'uniform'` (U(−0.05, 0.05), as Keras). */
  readonly embeddingsInitializer?: InitializerConfig;
  /**
   * The index of a padding token (PyTorch's `padding_idx`; negative counts from the end): its row
   * starts as zeros (again after every `initialize`) and receives no gradient, so it stays what it
   * is unless set or loaded. Default: none.
   */
  readonly paddingIndex?: number;
  /**
   * Treat index 0 as padding of variable-length sequences (Keras's `mask_zero`): the output of
   * indices [batch, time] carries a [batch, time] mask, 1 where the index is not 0 (see
   * `attachMask`), which recurrent layers read to skip padded steps. Usually combined with
   * `paddingIndex: 0`. Default false.
   */
  readonly maskZero?: boolean;
}

/**
 * A lookup table: int32 indices of any shape → their rows of the `[vocabularySize, embeddingSize]`
 * table, shape `[...indices.shape, embeddingSize]` (the `gather` op, into the workspace's output
 * buffer, reused while the indices' shape stays the same).
 *
 * Backward adds each output-gradient row into the gradient row of its index (repeated indices
 * accumulate within a step; the whole gradient is still overwritten on every backward), except
 * at `paddingIndex`, whose gradient row stays 0. Indices are not differentiable: backward
 * returns zeros shaped like the indices, in the layer's dtype.
 *
 * With `maskZero`, the output of [batch, time] indices carries the mask (index ≠ 0) that
 * recurrent layers read, so padded steps are skipped.
 *
 * Parameter `<name>.embeddings`.
 *
 * @example
 * const embedding = new Embedding(10_000, 64);
 * embedding.forward(tensor([[1, 5, 9]], { dtype: 'int32' })).shape; // [1, 3, 64]
 */
export class Embedding extends BaseLayer {
  /** Number of rows (valid indices are 0 … vocabularySize − 1). */
  readonly vocabularySize: number;
  /** Length of each row. */
  readonly embeddingSize: number;
  /** The table, [vocabularySize, embeddingSize], over the `<name>.embeddings` parameter's array. */
  readonly embeddings: Tensor;
  /** The padding row in [0, vocabularySize), or −1 when there is none. */
  readonly paddingIndex: number;
  /** Whether outputs carry a mask of the non-zero indices (see {@link EmbeddingOptions.maskZero}). */
  readonly maskZero: boolean;
  private readonly embeddingsParameter: LayerParameter;
  private readonly embeddingsInitializer: InitializerConfig;
  private readonly seedEntries: Record<string, JsonValue>;
  private readonly gatherOptions: GatherOptions = {};

  constructor(vocabularySize: number, embeddingSize: number, options: EmbeddingOptions = {}) {
    super('Embedding', 'embedding', options);
    for (const [what, size] of [
      ['vocabularySize', vocabularySize],
      ['embeddingSize', embeddingSize],
    ] as const) {
      if (!Number.isSafeInteger(size) || size < 1)
        throw new AnnetError('INVALID_ARGUMENT', this.operation, `${what} must be a positive integer, got ${size}`);
    }
    this.vocabularySize = vocabularySize;
    this.embeddingSize = embeddingSize;
    this.embeddingsInitializer = options.embeddingsInitializer ?? 'uniform';
    this.paddingIndex = readPaddingIndex(this.operation, options.paddingIndex, vocabularySize);
    this.maskZero = options.maskZero ?? false;
    if (typeof this.maskZero !== 'boolean')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `maskZero must be true or false, got ${JSON.stringify(options.maskZero)}`,
      );
    this.seedEntries = seedConfig(options);
    this.embeddingsParameter = this.addParameter(
      'embeddings',
      [vocabularySize, embeddingSize],
      initializerFromConfig(this.embeddingsInitializer),
      { fanIn: vocabularySize, fanOut: embeddingSize },
    );
    this.embeddings = this.embeddingsParameter.tensor;
    this.initialize(initialRng(options));
  }

  /** Rebuilds an Embedding from {@link Embedding.getConfig}. */
  static fromConfig(config: LayerConfig): Embedding {
    return new Embedding(config.vocabularySize as number, config.embeddingSize as number, config as EmbeddingOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    const padding: Record<string, JsonValue> = this.paddingIndex < 0 ? {} : { paddingIndex: this.paddingIndex };
    const mask: Record<string, JsonValue> = this.maskZero ? { maskZero: true } : {};
    return {
      vocabularySize: this.vocabularySize,
      embeddingSize: this.embeddingSize,
      embeddingsInitializer: this.embeddingsInitializer,
      ...padding,
      ...mask,
      ...this.seedEntries,
    };
  }

  /** Redraws the table from `rng`, then zeroes the padding row (as PyTorch's `reset_parameters`). */
  override initialize(rng: Rng): void {
    super.initialize(rng);
    if (this.paddingIndex >= 0)
      this.embeddingsParameter.value.fill(
        0,
        this.paddingIndex * this.embeddingSize,
        (this.paddingIndex + 1) * this.embeddingSize,
      );
  }

  /** The table rows at `input` (int32 indices of any shape). */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    if (input.dtype !== 'int32') {
      throw new AnnetError(
        'DTYPE_MISMATCH',
        this.operation,
        `expected int32 indices, got ${input.dtype}; convert with cast(indices, 'int32')`,
      );
    }
    const indices = contiguousInput(input);
    for (let position = 0; position < indices.size; position++) {
      const index = indices.data[indices.offset + position];
      if (index < 0 || index >= this.vocabularySize) {
        throw new AnnetError(
          'INDEX_OUT_OF_RANGE',
          this.operation,
          `index ${index} at position ${position} is outside [0, ${this.vocabularySize})`,
        );
      }
    }
    if (this.maskZero && indices.shape.length !== 2) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `maskZero masks sequences of indices [batch, time], got indices of shape ${formatShape(indices.shape)}`,
      );
    }
    const output = this.workspace.output(this.dtype, indices.shape);
    this.gatherOptions.out = output;
    gather(this.embeddings, indices as Tensor<'int32'>, 0, this.gatherOptions);
    this.lastInput = indices;
    this.lastTraining = options?.training ?? false;
    if (this.maskZero) attachMask(output, this.nonZeroMask(indices));
    return output;
  }

  /** 1 where the index is not 0, shaped like the indices [batch, time] (a workspace buffer). */
  private nonZeroMask(indices: Tensor): Tensor {
    const mask = this.workspace.buffer('mask', this.dtype, indices.shape);
    const values = mask.data;
    for (let position = 0; position < indices.size; position++)
      values[position] = indices.data[indices.offset + position] === 0 ? 0 : 1;
    return mask;
  }

  /** Writes the table gradient (overwriting) and returns zeros shaped like the indices. */
  backward(outputGradient: Tensor): Tensor {
    const indices = this.checkBackward(outputGradient, this.workspace.current('output')?.shape ?? [], this.dtype);
    const gradient = contiguousInput(outputGradient);
    const table = this.embeddingsParameter.grad;
    const rowLength = this.embeddingSize;
    const source = floatData(gradient);
    const padding = this.paddingIndex;
    table.fill(0);
    for (let position = 0; position < indices.size; position++) {
      const index = indices.data[indices.offset + position];
      if (index === padding) continue;
      const row = index * rowLength;
      const from = gradient.offset + position * rowLength;
      for (let column = 0; column < rowLength; column++) table[row + column] += source[from + column];
    }
    return this.workspace.buffer('inputGradient', this.dtype, indices.shape);
  }

  /** [...] → [..., embeddingSize]. */
  outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape, this.embeddingSize];
  }
}

/** `paddingIndex` in [0, vocabularySize) (a negative one counted from the end), or −1 for none. */
function readPaddingIndex(operation: string, paddingIndex: number | undefined, vocabularySize: number): number {
  if (paddingIndex === undefined) return -1;
  if (!Number.isSafeInteger(paddingIndex) || paddingIndex < -vocabularySize || paddingIndex >= vocabularySize) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `paddingIndex must be an integer in [${-vocabularySize}, ${vocabularySize}) (an index of the table), got ${String(paddingIndex)}`,
    );
  }
  return paddingIndex < 0 ? paddingIndex + vocabularySize : paddingIndex;
}
