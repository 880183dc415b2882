import { Add, Dense, Dropout, GELU, LayerNorm, MultiHeadAttention, type InitializerConfig } from '@annet/layers';
import { AnnetError, type FloatDType } from '@annet/tensor';
import { apply } from '../graph/apply.js';
import type { SymbolicTensor } from '../graph/symbolic-tensor.js';

/**
 * Options of {@link transformerBlock}.
 *
 * @example
 * const options: TransformerBlockOptions = { name: 'h0', numHeads: 4, causal: true };
 */
export interface TransformerBlockOptions {
  /** Prefix of the block's layer names (`h0` → `h0_ln1`, `h0_attention`, `h0_ln2`, `h0_fc`, `h0_gelu`, `h0_projection`, `h0_residual1`, `h0_residual2`). */
  readonly name: string;
  readonly numHeads: number;
  /** Width of the MLP's hidden layer as a multiple of the embedding; default 4. */
  readonly mlpRatio?: number;
  /** Causal self-attention (a decoder, GPT); default true. */
  readonly causal?: boolean;
  /** Dropout on the attention weights and on both residual branches; default 0. */
  readonly dropout?: number;
  /** Biases in the four attention projections and the two MLP layers; default true. */
  readonly useBias?: boolean;
  /** The MLP's GELU: `'none'` (exact, erf; default) or `'tanh'` (GPT-2's approximation, several times cheaper). */
  readonly gelu?: 'none' | 'tanh';
  /** LayerNorm's ε; default 1e-5. */
  readonly epsilon?: number;
  /** Initializer of the attention's q/k/v projection and the MLP's first layer; default N(0, 0.02²) (GPT-2). */
  readonly kernelInitializer?: InitializerConfig;
  /** Initializer of the two projections back into the residual stream; default N(0, 0.02²) (GPT-2 scales it by 1/√(2·layers): pass that). */
  readonly residualInitializer?: InitializerConfig;
  readonly dtype?: FloatDType;
}

/**
 * One pre-norm transformer block (GPT-2), built on `x` `[batch, time, embedding]` with the
 * functional API:
 *
 * h = x + Dropout(MultiHeadAttention(LayerNorm₁(x))), y = h + Dropout(W₂·GELU(W₁·LayerNorm₂(h) + b₁) + b₂),
 *
 * with W₁ `[embedding, mlpRatio·embedding]` and W₂ back. Returns y; the layers join the graph
 * being built (names from `options.name`), so `new Model({ inputs, outputs })` trains them.
 *
 * @example
 * const tokens = input({ name: 'tokens', shape: [64], dtype: 'int32' });
 * let h = apply(new PositionalEmbedding(64, 128), apply(new Embedding(85, 128), tokens));
 * h = transformerBlock(h, { name: 'h0', numHeads: 4 });
 */
export function transformerBlock(x: SymbolicTensor, options: TransformerBlockOptions): SymbolicTensor {
  const operation = 'transformerBlock';
  const embedding = x.shape[x.shape.length - 1];
  if (x.shape.length !== 3 || !(embedding > 0))
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected a symbolic tensor of shape [batch,time,embedding], got ${x.describe()} of shape [${x.shape.join(',')}]`,
    );
  const name = options.name;
  const ratio = options.mlpRatio ?? 4;
  if (!Number.isSafeInteger(ratio) || ratio < 1)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `mlpRatio must be a positive integer, got ${String(options.mlpRatio)}`,
    );
  const dropout = options.dropout ?? 0;
  const dtype = options.dtype ?? 'float32';
  const useBias = options.useBias ?? true;
  const epsilon = options.epsilon ?? 1e-5;
  const kernel = options.kernelInitializer ?? { name: 'normal', standardDeviation: 0.02 };
  const residual = options.residualInitializer ?? kernel;
  const attention = new MultiHeadAttention(embedding, {
    name: `${name}_attention`,
    numHeads: options.numHeads,
    causal: options.causal ?? true,
    dropout,
    useBias,
    kernelInitializer: kernel,
    outputKernelInitializer: residual,
    dtype,
  });
  let attended = apply(attention, apply(new LayerNorm(embedding, { name: `${name}_ln1`, epsilon, dtype }), x));
  if (dropout > 0) attended = apply(new Dropout(dropout, { name: `${name}_attention_dropout`, dtype }), attended);
  const h = apply(new Add({ name: `${name}_residual1` }), [x, attended]);
  const normalized = apply(new LayerNorm(embedding, { name: `${name}_ln2`, epsilon, dtype }), h);
  const hidden = apply(
    new GELU({ name: `${name}_gelu`, approximate: options.gelu ?? 'none', dtype }),
    apply(
      new Dense(embedding, ratio * embedding, { name: `${name}_fc`, useBias, kernelInitializer: kernel, dtype }),
      normalized,
    ),
  );
  let projected = apply(
    new Dense(ratio * embedding, embedding, {
      name: `${name}_projection`,
      useBias,
      kernelInitializer: residual,
      dtype,
    }),
    hidden,
  );
  if (dropout > 0) projected = apply(new Dropout(dropout, { name: `${name}_mlp_dropout`, dtype }), projected);
  return apply(new Add({ name: `${name}_residual2` }), [h, projected]);
}
