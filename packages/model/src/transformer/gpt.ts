import { Dense, Dropout, Embedding, LayerNorm, PositionalEmbedding, TransposedEmbedding } from '@annet/layers';
import { AnnetError, type FloatDType } from '@annet/tensor';
import { apply } from '../graph/apply.js';
import { Model } from '../graph/model.js';
import { input } from '../graph/symbolic-tensor.js';
import { transformerBlock } from './transformer-block.js';

/**
 * Options of {@link gptModel}. The defaults are nanoGPT's CPU "baby GPT" for characters.
 *
 * @example
 * const options: GptOptions = { vocabularySize: 85, blockSize: 64, embeddingSize: 128, numLayers: 4, numHeads: 4 };
 */
export interface GptOptions {
  readonly vocabularySize: number;
  /** Context length (positions of the learned position table); default 64. */
  readonly blockSize?: number;
  /** Default 128. */
  readonly embeddingSize?: number;
  /** Transformer blocks; default 4. */
  readonly numLayers?: number;
  /** Default 4. */
  readonly numHeads?: number;
  /** Dropout after the embeddings, on attention weights and residual branches; default 0. */
  readonly dropout?: number;
  /** Biases in the attention and MLP layers; default true. */
  readonly useBias?: boolean;
  /** The MLP's GELU: `'tanh'` (GPT-2's own approximation; default, several times cheaper than erf) or `'none'` (exact, as nanoGPT's `nn.GELU()`). */
  readonly gelu?: 'none' | 'tanh';
  /** Output projection = the token embedding's transpose (GPT-2's weight tying); default true. */
  readonly tieWeights?: boolean;
  readonly dtype?: FloatDType;
  /** The model's name; default `gpt`. */
  readonly name?: string;
}

/**
 * A GPT-2-style decoder as a graph {@link Model} (Radford et al., 2019): int32 `tokens`
 * `[batch, time ≤ blockSize]` → `logits` `[batch, time, vocabularySize]`:
 * h₀ = Dropout(wte[tokens] + wpe[0..time)), h_l = {@link transformerBlock}(h_{l−1}) (pre-norm,
 * causal), logits = LayerNorm_f(h_L)·wteᵀ (a {@link TransposedEmbedding} tied to `wte`; a bias-free
 * Dense `lm_head` with `tieWeights: false`).
 *
 * Layer names follow nanoGPT: `wte`, `wpe`, `h0_…` … `h{L−1}_…`, `ln_f`, `lm_head`. GPT-2's
 * initialization: every kernel and both tables N(0, 0.02²), the two projections back into the
 * residual stream N(0, (0.02/√(2L))²), biases 0, LayerNorms 1 and 0 (call `initialize(seed)`).
 *
 * @example
 * const model = gptModel({ vocabularySize: 85 }).initialize(1337); // 4 layers, 4 heads, 128 wide, block 64: 0.81 M parameters
 * const { logits } = model.forward(tokens); // tokens: int32 [12, 64] → [12, 64, 85]
 */
export function gptModel(options: GptOptions): Model {
  const operation = 'gptModel';
  const positive = (what: string, value: unknown) => {
    if (!Number.isSafeInteger(value) || (value as number) < 1)
      throw new AnnetError('INVALID_ARGUMENT', operation, `${what} must be a positive integer, got ${String(value)}`);
    return value as number;
  };
  const vocabularySize = positive('vocabularySize', options?.vocabularySize);
  const blockSize = positive('blockSize', options.blockSize ?? 64);
  const embeddingSize = positive('embeddingSize', options.embeddingSize ?? 128);
  const numLayers = positive('numLayers', options.numLayers ?? 4);
  const numHeads = positive('numHeads', options.numHeads ?? 4);
  const dropout = options.dropout ?? 0;
  const dtype = options.dtype ?? 'float32';
  const normal = { name: 'normal', standardDeviation: 0.02 } as const;
  const tokens = input({ name: 'tokens', shape: [blockSize], dtype: 'int32' });
  const wte = new Embedding(vocabularySize, embeddingSize, { name: 'wte', embeddingsInitializer: normal, dtype });
  let h = apply(
    new PositionalEmbedding(blockSize, embeddingSize, { name: 'wpe', positionsInitializer: normal, dtype }),
    apply(wte, tokens),
  );
  if (dropout > 0) h = apply(new Dropout(dropout, { name: 'embedding_dropout', dtype }), h);
  const residualInitializer = { name: 'normal', standardDeviation: 0.02 / Math.sqrt(2 * numLayers) } as const;
  for (let layer = 0; layer < numLayers; layer++) {
    h = transformerBlock(h, {
      name: `h${layer}`,
      numHeads,
      dropout,
      useBias: options.useBias,
      kernelInitializer: normal,
      residualInitializer,
      gelu: options.gelu ?? 'tanh',
      dtype,
    });
  }
  h = apply(new LayerNorm(embeddingSize, { name: 'ln_f', dtype }), h);
  const head =
    options.tieWeights === false
      ? new Dense(embeddingSize, vocabularySize, { name: 'lm_head', useBias: false, kernelInitializer: normal, dtype })
      : new TransposedEmbedding(wte, { name: 'lm_head' });
  return new Model({ inputs: tokens, outputs: { logits: apply(head, h) }, name: options.name ?? 'gpt' });
}
