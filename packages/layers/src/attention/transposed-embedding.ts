import type { BackwardOptions, FloatDType, JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, matmul, type MatmulOptions, type Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput } from '../buffers.js';
import { Embedding } from '../core/embedding.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';

/**
 * Options of {@link TransposedEmbedding} when it is rebuilt from a config before its embedding
 * exists: the sizes, and the name of the embedding layer to tie to (see {@link TransposedEmbedding.linkLayers}).
 *
 * @example
 * const options: TransposedEmbeddingOptions = { name: 'lm_head' };
 */
export interface TransposedEmbeddingOptions extends LayerOptions {
  readonly tiedTo?: string;
  readonly vocabularySize?: number;
  readonly embeddingSize?: number;
}

/**
 * An output projection tied to a token {@link Embedding} (weight tying, Press & Wolf, 2017,
 * https://arxiv.org/abs/1608.05859; GPT-2's `lm_head.weight = wte.weight`): logits = x·Eᵀ over the
 * last axis, `[..., embeddingSize]` → `[..., vocabularySize]`, no bias, E the embedding's
 * `[vocabularySize, embeddingSize]` table.
 *
 * Its only parameter is the embedding's own `LayerParameter` object (named after the embedding,
 * `wte.embeddings`): one array, saved once. Backward writes dE = dYᵀ·X into its `grad`
 * (overwriting, as every layer) and returns dX = dY·E; a graph model that holds both layers sums
 * the two uses' gradients (it accumulates a parameter shared by several layers).
 *
 * @example
 * const tokens = new Embedding(85, 128, { name: 'wte' });
 * const head = new TransposedEmbedding(tokens, { name: 'lm_head' });
 * head.parameters()[0] === tokens.parameters()[0]; // true
 */
export class TransposedEmbedding extends BaseLayer {
  readonly vocabularySize: number;
  readonly embeddingSize: number;
  private embedding: Embedding | undefined;
  private tiedName: string | undefined;
  private shared: readonly LayerParameter[] = [];
  private readonly forwardOptions: MatmulOptions = { transposeB: true };
  private readonly weightGradientOptions: MatmulOptions = { transposeA: true };
  private readonly inputGradientOptions: MatmulOptions = {};

  constructor(embedding: Embedding | null, options: TransposedEmbeddingOptions = {}) {
    super('TransposedEmbedding', 'transposed_embedding', { ...options, dtype: embedding?.dtype ?? options.dtype });
    if (embedding !== null && !(embedding instanceof Embedding))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        'expected the Embedding layer to tie to (or null with { tiedTo, vocabularySize, embeddingSize } from a config)',
      );
    this.vocabularySize =
      embedding?.vocabularySize ?? checkSize(this.operation, 'vocabularySize', options.vocabularySize);
    this.embeddingSize = embedding?.embeddingSize ?? checkSize(this.operation, 'embeddingSize', options.embeddingSize);
    this.tiedName = options.tiedTo;
    if (embedding !== null) this.tie(embedding);
  }

  /** Rebuilds the layer from {@link TransposedEmbedding.getConfig}, untied: a graph model's `fromConfig` ties it through {@link TransposedEmbedding.linkLayers}. */
  static fromConfig(config: LayerConfig): TransposedEmbedding {
    return new TransposedEmbedding(null, config as TransposedEmbeddingOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return {
      tiedTo: this.embedding?.name ?? this.tiedName ?? null,
      vocabularySize: this.vocabularySize,
      embeddingSize: this.embeddingSize,
    };
  }

  /** Ties to the embedding named in the config, found by `lookup` (a model's layers by name); called by `Model.fromConfig`. */
  linkLayers(lookup: (name: string) => unknown): void {
    if (this.embedding !== undefined) return;
    const found = this.tiedName === undefined ? undefined : lookup(this.tiedName);
    if (!(found instanceof Embedding))
      throw new AnnetError(
        'NOT_FOUND',
        this.operation,
        `is tied to the Embedding ${JSON.stringify(this.tiedName)}, which is not a layer of this model`,
      );
    this.tie(found);
  }

  /** The embedding's table parameter (shared), or none before the layer is tied. */
  override parameters(): readonly LayerParameter[] {
    return this.shared;
  }

  /** logits = x·Eᵀ. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    const table = this.table();
    this.checkInputShape(input.shape);
    requireDType(this.operation, input, this.dtype);
    const output = this.workspace.output(this.dtype, input.shape);
    this.forwardOptions.out = output;
    matmul(input as Tensor<FloatDType>, table, this.forwardOptions);
    this.recordForward(input, options);
    return output;
  }

  /** Writes dE = dYᵀ·X into the shared `grad` (overwriting) and returns dX = dY·E. */
  backward(outputGradient: Tensor, options?: BackwardOptions): Tensor {
    const output = this.workspace.current('output');
    const x = this.checkBackward(outputGradient, output?.shape ?? [], this.dtype);
    const table = this.table();
    const dy = contiguousInput(outputGradient);
    const inputRows =
      this.workspace.view('inputRows', x) ??
      this.workspace.keepView('inputRows', x, x.reshape([-1, this.embeddingSize]));
    const gradientRows =
      this.workspace.view('gradientRows', dy) ??
      this.workspace.keepView('gradientRows', dy, dy.reshape([-1, this.vocabularySize]));
    this.weightGradientOptions.out = this.shared[0].gradient;
    matmul(gradientRows as Tensor<FloatDType>, inputRows as Tensor<FloatDType>, this.weightGradientOptions);
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, x.shape);
    if (options?.inputGradient === false) return inputGradient;
    this.inputGradientOptions.out = inputGradient;
    matmul(dy as Tensor<FloatDType>, table, this.inputGradientOptions);
    return inputGradient;
  }

  /** [..., embeddingSize] → [..., vocabularySize]. */
  outputShape(inputShape: readonly number[]): number[] {
    this.checkInputShape(inputShape);
    return [...inputShape.slice(0, -1), this.vocabularySize];
  }

  private tie(embedding: Embedding): void {
    if (embedding.vocabularySize !== this.vocabularySize || embedding.embeddingSize !== this.embeddingSize) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected an Embedding of [${this.vocabularySize},${this.embeddingSize}], got ${embedding.name} of [${embedding.vocabularySize},${embedding.embeddingSize}]`,
      );
    }
    if (embedding.dtype !== this.dtype)
      throw new AnnetError(
        'DTYPE_MISMATCH',
        this.operation,
        `expected a ${this.dtype} Embedding, got ${embedding.dtype}`,
      );
    this.embedding = embedding;
    this.shared = [embedding.parameters()[0]];
  }

  private table(): Tensor<FloatDType> {
    if (this.embedding === undefined)
      throw new AnnetError(
        'INVALID_STATE',
        this.operation,
        `is not tied to an Embedding yet (tiedTo ${JSON.stringify(this.tiedName)}); build it with the Embedding, or rebuild the whole model with Model.fromConfig`,
      );
    return this.shared[0].tensor;
  }

  private checkInputShape(shape: readonly number[]): void {
    if (shape.length < 2 || shape[shape.length - 1] !== this.embeddingSize)
      throw inputShapeError(this.operation, `[*,${this.embeddingSize}]`, shape);
  }
}

function checkSize(operation: string, what: string, size: unknown): number {
  if (!Number.isSafeInteger(size) || (size as number) < 1)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${what} must be a positive integer (or pass the Embedding to tie to), got ${String(size)}`,
    );
  return size as number;
}
