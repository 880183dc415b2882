import { AnnetError, Tensor, type TypedArray } from '@annet/tensor';
import { checkIndex } from '../datasets/check-index.js';
import { MapDataset } from '../datasets/map-dataset.js';
import type { RowSource, Sample } from '../datasets/sample.js';

/**
 * Options of {@link SlidingWindowDataset}.
 *
 * @example
 * new SlidingWindowDataset(ids, { blockSize: 64, stride: 64 });
 */
export interface SlidingWindowOptions {
  /** Tokens per window (the model's context length). */
  readonly blockSize: number;
  /** Tokens between the starts of consecutive windows (default 1: every start). */
  readonly stride?: number;
}

/**
 * Language-modelling windows over one token sequence: sample `k` starts at `t = k · stride`,
 * its input is `tokens[t, t + blockSize)` and its target the same window shifted by one,
 * `tokens[t + 1, t + blockSize + 1)`, both int32 `[blockSize]`. There are
 * `⌊(n − blockSize − 1) / stride⌋ + 1` windows (none when `n ≤ blockSize`).
 *
 * The samples are views of the token array (nothing is copied until batching), and the loader's
 * row fast path copies windows straight into its batch buffers. With `stride: 1` and
 * `new RandomSampler({ replacement: true, numSamples })`, batches are nanoGPT's random windows
 * (`torch.randint(len(data) − block_size, (batch_size,))`), seeded and resumable mid-epoch by the
 * loader; a shuffled loader visits every window once per epoch instead.
 *
 * @example
 * const windows = new SlidingWindowDataset(Int32Array.from([5, 6, 7, 8, 9]), { blockSize: 3 });
 * windows.length;            // 2
 * windows.get(1);            // { input: [6, 7, 8], target: [7, 8, 9] }
 * const loader = new DataLoader(windows, { batchSize: 12, sampler: new RandomSampler({ replacement: true, numSamples: 12 * 2000 }), seed: 1 });
 */
export class SlidingWindowDataset extends MapDataset<Sample<Tensor<'int32'>, Tensor<'int32'>>> {
  /** Tokens per window. */
  readonly blockSize: number;
  /** Tokens between window starts. */
  readonly stride: number;
  readonly length: number;
  private readonly tokens: Int32Array;

  constructor(tokens: Int32Array | Tensor<'int32'>, options: SlidingWindowOptions) {
    super();
    const operation = 'SlidingWindowDataset';
    if (tokens instanceof Tensor) {
      if (tokens.dtype !== 'int32' || tokens.shape.length !== 1)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `expected a rank-1 int32 tensor of token ids, got ${tokens.dtype} of rank ${tokens.shape.length}`,
        );
      this.tokens = tokens.toTypedArray() as Int32Array;
    } else if (tokens instanceof Int32Array) {
      this.tokens = tokens;
    } else {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `expected token ids as an Int32Array or a rank-1 int32 tensor, got ${Object.prototype.toString.call(tokens)}`,
      );
    }
    const blockSize = options?.blockSize;
    const stride = options?.stride ?? 1;
    if (!Number.isSafeInteger(blockSize) || blockSize < 1)
      throw new AnnetError('INVALID_ARGUMENT', operation, `blockSize must be an integer >= 1, got ${blockSize}`);
    if (!Number.isSafeInteger(stride) || stride < 1)
      throw new AnnetError('INVALID_ARGUMENT', operation, `stride must be an integer >= 1, got ${stride}`);
    this.blockSize = blockSize;
    this.stride = stride;
    const n = this.tokens.length;
    this.length = n <= blockSize ? 0 : Math.floor((n - blockSize - 1) / stride) + 1;
  }

  /** Window `index`: `{ input: tokens[t, t + blockSize), target: tokens[t + 1, t + blockSize + 1) }` with `t = index · stride`. */
  get(index: number): Sample<Tensor<'int32'>, Tensor<'int32'>> {
    checkIndex(index, this.length, 'SlidingWindowDataset.get');
    const start = index * this.stride;
    return {
      input: new Tensor(this.tokens, [this.blockSize], undefined, start) as Tensor<'int32'>,
      target: new Tensor(this.tokens, [this.blockSize], undefined, start + 1) as Tensor<'int32'>,
    };
  }

  /** Copies windows straight into batch buffers. */
  override rows(): RowSource {
    const { tokens, blockSize, stride } = this;
    return {
      input: { dtype: 'int32', shape: [blockSize] },
      target: { dtype: 'int32', shape: [blockSize] },
      copyRow(index: number, inputs: TypedArray, inputOffset: number, targets: TypedArray, targetOffset: number) {
        const start = index * stride;
        for (let offset = 0; offset < blockSize; offset++) {
          inputs[inputOffset + offset] = tokens[start + offset];
          targets[targetOffset + offset] = tokens[start + offset + 1];
        }
      },
    };
  }
}
