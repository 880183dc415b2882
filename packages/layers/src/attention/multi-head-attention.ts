import type { BackwardOptions, FloatDType, JsonObject, JsonValue, LayerConfig } from '@annet/layer-api';
import {
  AnnetError,
  columnSumsResident,
  createRng,
  formatShape,
  matmul,
  maskedSoftmaxBackwardResident,
  maskedSoftmaxResident,
  sum,
  type MatmulOptions,
  type Rng,
  type RngState,
  type Tensor,
} from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { initializerFromConfig } from '../initializers/initializer-from-config.js';
import type { InitializerConfig } from '../initializers/initializer.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { makeAttentionViews, type AttentionViews } from './attention-views.js';
import { dropWithMask } from '../core/dropout-mask.js';
import { maskedSoftmax, maskedSoftmaxBackward, type FullyMaskedRows } from './masked-softmax.js';

/**
 * Options of {@link MultiHeadAttention}.
 *
 * @example
 * const options: MultiHeadAttentionOptions = { numHeads: 4, causal: true, kernelInitializer: { name: 'normal', standardDeviation: 0.02 } };
 */
export interface MultiHeadAttentionOptions extends SeededLayerOptions {
  /** Number of heads h (≥ 1). */
  readonly numHeads: number;
  /** Size d of each head's queries, keys and values; default `embeddingSize / numHeads` (which must then divide). */
  readonly keySize?: number;
  /** Whether the four projections add biases; default true. */
  readonly useBias?: boolean;
  /** Query i attends only to keys j ≤ i (a decoder, GPT); default false. */
  readonly causal?: boolean;
  /** Probability of dropping each attention weight while training (seeded, resumable); default 0. */
  readonly dropout?: number;
  /** A query whose every key is masked gets zero weights (`'zeros'`, default) or an error (`'error'`); never NaN. */
  readonly fullyMaskedRows?: FullyMaskedRows;
  /** Initializer of W_qkv `[embedding, 3hd]`; default `'glorotUniform'` (torch's xavier_uniform_ of `in_proj_weight`). */
  readonly kernelInitializer?: InitializerConfig;
  /** Initializer of W_o `[hd, embedding]`; default `'glorotUniform'`. */
  readonly outputKernelInitializer?: InitializerConfig;
}

/**
 * Options of one {@link MultiHeadAttention} forward pass.
 *
 * @example
 * attention.forward(x, { training: false, keyPaddingMask: tensor([[0, 0, 1]], { dtype: 'int32' }) });
 */
export interface AttentionForwardOptions {
  readonly training: boolean;
  /** `[batch, time]`, non-zero where the key is padding (ignored), as PyTorch's `key_padding_mask`. */
  readonly keyPaddingMask?: Tensor;
}

/**
 * Multi-head self-attention (Vaswani et al., 2017, https://arxiv.org/abs/1706.03762) over
 * `[batch, time, embedding]`, output of the same shape. With h heads of size d and X one sample:
 *
 * [Q | K | V] = X·W_qkv + b_qkv (one matmul; W_qkv `[embedding, 3hd]`, head i of Q is columns
 * [i·d, (i+1)·d), then K, then V); per head, P_i = softmax_masked(Q_i K_iᵀ / √d) (causal and
 * key-padding masks; see {@link maskedSoftmax}), O_i = dropout(P_i)·V_i; Y = [O_1 … O_h]·W_o + b_o.
 *
 * Backward: dO = dY·W_oᵀ, dW_o = [O]ᵀdY, db_o = Σ dY; dV_i = P̃_iᵀ dO_i, dP̃_i = dO_i V_iᵀ
 * (times the dropout mask), dS_i = P_i ⊙ (dP_i − rowsum(P_i ⊙ dP_i))/√d, dQ_i = dS_i K_i,
 * dK_i = dS_iᵀ Q_i; dW_qkv = Xᵀ[dQ | dK | dV], db_qkv = Σ [dQ | dK | dV], dX = [dQ | dK | dV]·W_qkvᵀ.
 * Every per-head product is one batched matmul over strided views of the projection buffers.
 * Float32 softmax passes without a key-padding mask run in WebAssembly SIMD on the resident
 * score buffers (`maskedSoftmaxResident` of @annet/tensor); the rest in TypeScript.
 *
 * Parameters `<name>.queryKeyValueWeights` `[embedding, 3hd]`, `<name>.queryKeyValueBiases` `[3hd]`,
 * `<name>.outputWeights` `[hd, embedding]`, `<name>.outputBiases` `[embedding]`. PyTorch
 * (`nn.MultiheadAttention(embedding, h)`, d = embedding/h): `in_proj_weight` = W_qkvᵀ,
 * `in_proj_bias` = b_qkv, `out_proj.weight` = W_oᵀ, `out_proj.bias` = b_o; separate linears
 * `q_proj.weight` = W_qkv[:, 0:hd]ᵀ, `k_proj.weight` = W_qkv[:, hd:2hd]ᵀ, `v_proj.weight` = W_qkv[:, 2hd:3hd]ᵀ
 * (biases the same thirds of b_qkv). A key-padding mask is passed to `forward` (direct use); in a
 * graph model the layer is self-attention with the causal option.
 *
 * @example
 * const attention = new MultiHeadAttention(128, { numHeads: 4, causal: true });
 * const y = attention.forward(x, { training: true }); // x: [12, 64, 128] → [12, 64, 128]
 */
export class MultiHeadAttention extends BaseLayer {
  readonly embeddingSize: number;
  readonly numHeads: number;
  readonly keySize: number;
  readonly useBias: boolean;
  readonly causal: boolean;
  readonly dropout: number;
  readonly fullyMaskedRows: FullyMaskedRows;
  private readonly qkv: LayerParameter;
  private readonly qkvBiases: LayerParameter | undefined;
  private readonly out: LayerParameter;
  private readonly outBiases: LayerParameter | undefined;
  private readonly kernelInitializer: InitializerConfig;
  private readonly outputKernelInitializer: InitializerConfig;
  private readonly seedEntries: Record<string, JsonValue>;
  private readonly makeViews: (shape: readonly number[], dtype: FloatDType) => AttentionViews;
  private readonly projectOptions: MatmulOptions;
  private readonly outputOptions: MatmulOptions;
  private readonly gradientOptions = {
    qkv: {} as MatmulOptions,
    out: {} as MatmulOptions,
    attended: { transposeB: true } as MatmulOptions,
    input: { transposeB: true } as MatmulOptions,
  };
  private readonly sumOptions = { qkv: {} as { out?: Tensor }, out: {} as { out?: Tensor } };
  private rng: Rng;
  private lastDropped = false;

  constructor(embeddingSize: number, options: MultiHeadAttentionOptions) {
    super('MultiHeadAttention', 'multi_head_attention', options);
    const positive = (what: string, value: unknown) => {
      if (!Number.isSafeInteger(value) || (value as number) < 1)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          this.operation,
          `${what} must be a positive integer, got ${String(value)}`,
        );
      return value as number;
    };
    this.embeddingSize = positive('embeddingSize', embeddingSize);
    this.numHeads = positive('numHeads', options?.numHeads);
    if (options.keySize === undefined && embeddingSize % this.numHeads !== 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `embeddingSize ${embeddingSize} is not divisible by numHeads ${this.numHeads}; pass keySize explicitly or change numHeads`,
      );
    }
    this.keySize = positive('keySize', options.keySize ?? embeddingSize / this.numHeads);
    this.useBias = options.useBias ?? true;
    this.causal = options.causal ?? false;
    this.dropout = options.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `dropout must be in [0, 1), got ${String(options.dropout)}`,
      );
    this.fullyMaskedRows = options.fullyMaskedRows ?? 'zeros';
    if (this.fullyMaskedRows !== 'zeros' && this.fullyMaskedRows !== 'error')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `fullyMaskedRows must be 'zeros' or 'error', got ${JSON.stringify(options.fullyMaskedRows)}`,
      );
    this.kernelInitializer = options.kernelInitializer ?? 'glorotUniform';
    this.outputKernelInitializer = options.outputKernelInitializer ?? 'glorotUniform';
    this.seedEntries = seedConfig(options);
    const width = this.numHeads * this.keySize;
    const zeros = initializerFromConfig('zeros');
    this.qkv = this.addParameter(
      'queryKeyValueWeights',
      [embeddingSize, 3 * width],
      initializerFromConfig(this.kernelInitializer),
      { fanIn: embeddingSize, fanOut: 3 * width },
    );
    this.qkvBiases = this.useBias
      ? this.addParameter('queryKeyValueBiases', [3 * width], zeros, { fanIn: embeddingSize, fanOut: 3 * width })
      : undefined;
    this.out = this.addParameter(
      'outputWeights',
      [width, embeddingSize],
      initializerFromConfig(this.outputKernelInitializer),
      { fanIn: width, fanOut: embeddingSize },
    );
    this.outBiases = this.useBias
      ? this.addParameter('outputBiases', [embeddingSize], zeros, { fanIn: width, fanOut: embeddingSize })
      : undefined;
    this.projectOptions = { bias: this.qkvBiases?.tensor };
    this.outputOptions = { bias: this.outBiases?.tensor };
    this.gradientOptions.qkv = { transposeA: true, out: this.qkv.gradient };
    this.gradientOptions.out = { transposeA: true, out: this.out.gradient };
    this.sumOptions.qkv.out = this.qkvBiases?.gradient;
    this.sumOptions.out.out = this.outBiases?.gradient;
    this.makeViews = makeAttentionViews(this.workspace, this.numHeads, this.keySize, this.dropout > 0);
    this.rng = createRng(options.seed ?? 0);
    this.initialize(initialRng(options));
  }

  /** Rebuilds a MultiHeadAttention from {@link MultiHeadAttention.getConfig}. */
  static fromConfig(config: LayerConfig): MultiHeadAttention {
    return new MultiHeadAttention(config.embeddingSize as number, config as unknown as MultiHeadAttentionOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return {
      embeddingSize: this.embeddingSize,
      numHeads: this.numHeads,
      keySize: this.keySize,
      useBias: this.useBias,
      causal: this.causal,
      dropout: this.dropout,
      fullyMaskedRows: this.fullyMaskedRows,
      kernelInitializer: this.kernelInitializer,
      outputKernelInitializer: this.outputKernelInitializer,
      ...this.seedEntries,
    };
  }

  /** Redraws the parameters from `rng` and reseeds the dropout generator from it. */
  override initialize(rng: Rng): void {
    super.initialize(rng);
    if (this.rng !== undefined) this.rng = createRng(rng.nextUint32());
  }

  /** The dropout generator's state, `{ rng }`. */
  getState(): JsonObject {
    return { rng: this.rng.state() as unknown as JsonObject };
  }

  /** Restores what {@link MultiHeadAttention.getState} returned. */
  setState(state: JsonObject): void {
    const rngState = state?.rng as unknown as RngState | undefined;
    if (typeof rngState !== 'object' || rngState === null)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        `${this.operation}.setState`,
        `expected { rng: { algorithm, words } }, got ${JSON.stringify(state)}`,
      );
    this.rng.setState(rngState);
  }

  /** Y = MultiHead(X); see the class formula. The returned tensor is reused by the next call. */
  forward(input: Tensor, options?: AttentionForwardOptions): Tensor {
    this.checkInputShape(input.shape);
    requireDType(this.operation, input, this.dtype);
    const x = contiguousInput(input);
    const views = this.workspace.derive('views', this.dtype, x.shape, this.makeViews);
    const { batch, time } = views;
    this.projectOptions.out = views.projected;
    matmul(x as Tensor<FloatDType>, this.qkv.tensor, this.projectOptions);
    matmul(views.query as Tensor<FloatDType>, views.key as Tensor<FloatDType>, views.scoresOptions);
    const keyPadding = this.keyPadding(options?.keyPaddingMask, batch, time);
    const scale = 1 / Math.sqrt(this.keySize);
    const probabilities = floatData(views.probabilities);
    const rows = batch * this.numHeads * time;
    const resident =
      keyPadding === null &&
      probabilities instanceof Float32Array &&
      maskedSoftmaxResident(probabilities, rows, time, time, this.causal, scale);
    if (!resident) {
      maskedSoftmax(probabilities, {
        batch,
        heads: this.numHeads,
        queries: time,
        keys: time,
        scale,
        causal: this.causal,
        keyPadding,
        fullyMaskedRows: this.fullyMaskedRows,
      });
    }
    const training = options?.training ?? false;
    const dropping = training && this.dropout > 0;
    if (dropping) this.dropWeights(views);
    matmul(
      (dropping ? views.dropped : views.probabilities) as Tensor<FloatDType>,
      views.value as Tensor<FloatDType>,
      views.attendOptions,
    );
    const output = this.workspace.output(this.dtype, x.shape);
    this.outputOptions.out = output;
    matmul(views.attended as Tensor<FloatDType>, this.out.tensor, this.outputOptions);
    this.lastInput = x;
    this.lastTraining = training;
    this.lastDropped = dropping;
    return output;
  }

  /** Writes every parameter gradient (overwriting) and returns dX; see the class formula. */
  backward(outputGradient: Tensor, options?: BackwardOptions): Tensor {
    const x = this.checkBackward(outputGradient, this.workspace.current('output')?.shape ?? [], this.dtype);
    const views = this.workspace.derive('views', this.dtype, x.shape, this.makeViews);
    const { batch, time } = views;
    const dy = contiguousInput(outputGradient);
    const dyRows =
      this.workspace.view('gradientRows', dy) ??
      this.workspace.keepView('gradientRows', dy, dy.reshape([batch * time, this.embeddingSize]));
    matmul(views.attendedRows as Tensor<FloatDType>, dyRows as Tensor<FloatDType>, this.gradientOptions.out);
    if (this.outBiases !== undefined) this.biasGradient(dyRows, this.outBiases, this.sumOptions.out);
    this.gradientOptions.attended.out = views.attendedGradient;
    matmul(dy as Tensor<FloatDType>, this.out.tensor, this.gradientOptions.attended);
    const dropped = this.lastDropped ? views.dropped : views.probabilities;
    matmul(
      views.attendedGradientHeads as Tensor<FloatDType>,
      views.value as Tensor<FloatDType>,
      views.probabilityGradientOptions,
    );
    matmul(
      dropped as Tensor<FloatDType>,
      views.attendedGradientHeads as Tensor<FloatDType>,
      views.valueGradientOptions,
    );
    const probabilityGradient = floatData(views.probabilityGradient);
    if (this.lastDropped) {
      const mask = floatData(views.dropMask!);
      for (let index = 0; index < mask.length; index++) probabilityGradient[index] *= mask[index];
    }
    const probabilities = floatData(views.probabilities);
    const rows = batch * this.numHeads * time;
    const scale = 1 / Math.sqrt(this.keySize);
    const resident =
      probabilities instanceof Float32Array &&
      maskedSoftmaxBackwardResident(
        probabilities,
        probabilityGradient as Float32Array,
        rows,
        time,
        time,
        this.causal,
        scale,
      );
    if (!resident) maskedSoftmaxBackward(probabilities, probabilityGradient, rows, time, scale);
    matmul(
      views.probabilityGradient as Tensor<FloatDType>,
      views.key as Tensor<FloatDType>,
      views.queryGradientOptions,
    );
    matmul(
      views.probabilityGradient as Tensor<FloatDType>,
      views.query as Tensor<FloatDType>,
      views.keyGradientOptions,
    );
    const xRows =
      this.workspace.view('inputRows', x) ??
      this.workspace.keepView('inputRows', x, x.reshape([batch * time, this.embeddingSize]));
    matmul(xRows as Tensor<FloatDType>, views.projectedGradientRows as Tensor<FloatDType>, this.gradientOptions.qkv);
    if (this.qkvBiases !== undefined)
      this.biasGradient(views.projectedGradientRows, this.qkvBiases, this.sumOptions.qkv);
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, x.shape);
    if (options?.inputGradient === false) return inputGradient;
    this.gradientOptions.input.out = inputGradient;
    matmul(views.projectedGradient as Tensor<FloatDType>, this.qkv.tensor, this.gradientOptions.input);
    return inputGradient;
  }

  /** The bias gradient = the column sums of `rows` `[n, width]`: in WebAssembly SIMD when resident, else the `sum` op. */
  private biasGradient(rows: Tensor, biases: LayerParameter, options: { out?: Tensor }): void {
    const count = rows.shape[0];
    const width = rows.shape[1];
    const resident =
      rows.data instanceof Float32Array &&
      rows.offset === 0 &&
      columnSumsResident(rows.data, biases.grad as Float32Array, count, width);
    if (!resident) sum(rows, 0, false, options);
  }

  /** [batch, time, embedding] → the same. */
  outputShape(inputShape: readonly number[]): number[] {
    this.checkInputShape(inputShape);
    return inputShape.slice();
  }

  private checkInputShape(shape: readonly number[]): void {
    if (shape.length !== 3 || shape[2] !== this.embeddingSize)
      throw inputShapeError(this.operation, `[batch,time,${this.embeddingSize}]`, shape);
  }

  /** The mask as an int32 scratch array `[batch·time]` (1 = padding), or null. */
  private keyPadding(mask: Tensor | undefined, batch: number, time: number): Int32Array | null {
    if (mask === undefined) return null;
    if (mask.shape.length !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `keyPaddingMask must have shape [${batch},${time}] ([batch, time] of the input), got ${formatShape(mask.shape)}`,
      );
    }
    const values = contiguousInput(mask);
    const padding = this.workspace.scratch('keyPadding', 'int32', batch * time);
    for (let index = 0; index < padding.length; index++) padding[index] = values.data[values.offset + index] ? 1 : 0;
    return padding;
  }

  /** dropped = P ⊙ mask, mask = 1/(1 − rate) where the next uniform draw is below 1 − rate, else 0. */
  private dropWeights(views: AttentionViews): void {
    const mask = floatData(views.dropMask!);
    dropWithMask(
      this.rng,
      1 - this.dropout,
      floatData(views.probabilities),
      0,
      mask,
      floatData(views.dropped),
      mask.length,
    );
  }
}
