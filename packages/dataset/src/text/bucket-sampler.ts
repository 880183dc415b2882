import { AnnetError, type Rng } from '@annet/tensor';
import type { Sampler } from '../samplers/sampler.js';

/**
 * Options of {@link BucketSampler}.
 *
 * @example
 * new BucketSampler(lengths, { batchSize: 32, bucketBatches: 50 });
 */
export interface BucketSamplerOptions {
  /** The loader's batch size: each run of `batchSize` indices of an epoch is one batch. */
  readonly batchSize: number;
  /** Batches per bucket: the samples are sorted by length within pools of `bucketBatches · batchSize` (default 50). */
  readonly bucketBatches?: number;
  /** Keep the order random (default true); `false` sorts the whole epoch by length, for evaluation. */
  readonly shuffle?: boolean;
}

/**
 * Groups samples of similar lengths into the same batches, so that padding costs little, while
 * each epoch stays random (the "bucket iterator" of torchtext, Keras's `bucket_by_sequence_length`):
 *
 * 1. draw a permutation of all indices from the epoch's generator;
 * 2. cut it into pools of `bucketBatches · batchSize` and sort each pool by length (stable);
 * 3. cut the pools into batches of `batchSize` and shuffle the order of the full batches,
 *    the one short batch (if any) staying last, where the loader expects it.
 *
 * The order is a pure function of the generator and the lengths, so a {@link DataLoader} with this
 * sampler resumes mid-epoch exactly like any other. Give the loader the same `batchSize`.
 *
 * @example
 * const lengths = sentences.map((sentence) => sentence.length);
 * const loader = new DataLoader(dataset, { batchSize: 32, sampler: new BucketSampler(lengths, { batchSize: 32 }), collate: paddedCollate(), seed: 1 });
 */
export class BucketSampler implements Sampler {
  private readonly lengths: Int32Array;
  private readonly batchSize: number;
  private readonly bucketBatches: number;
  private readonly shuffle: boolean;

  constructor(lengths: ArrayLike<number>, options: BucketSamplerOptions) {
    const operation = 'BucketSampler';
    const integer = (name: string, value: number, minimum: number) => {
      if (!Number.isSafeInteger(value) || value < minimum)
        throw new AnnetError('INVALID_ARGUMENT', operation, `${name} must be an integer >= ${minimum}, got ${value}`);
      return value;
    };
    if (lengths === null || typeof lengths !== 'object' || typeof lengths.length !== 'number')
      throw new AnnetError('INVALID_ARGUMENT', operation, 'expected the sample lengths as an array of integers');
    this.lengths = new Int32Array(lengths.length);
    for (let index = 0; index < lengths.length; index++)
      this.lengths[index] = integer(`length ${index}`, lengths[index], 0);
    this.batchSize = integer('batchSize', options?.batchSize, 1);
    this.bucketBatches = integer('bucketBatches', options.bucketBatches ?? 50, 1);
    this.shuffle = options.shuffle ?? true;
  }

  describe(): string {
    return `BucketSampler { batchSize: ${this.batchSize}, bucketBatches: ${this.bucketBatches}, shuffle: ${this.shuffle}, samples: ${this.lengths.length} }`;
  }

  epochIndices(length: number, rng: Rng): Int32Array {
    if (length !== this.lengths.length) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'BucketSampler',
        `the sampler knows the lengths of ${this.lengths.length} samples but the dataset has ${length}; build it from the dataset's lengths`,
      );
    }
    const byLength = (a: number, b: number) => this.lengths[a] - this.lengths[b] || a - b;
    if (!this.shuffle) return Int32Array.from(Array.from({ length }, (_, index) => index).sort(byLength));
    const order = rng.permutation(length);
    const pool = this.batchSize * this.bucketBatches;
    for (let start = 0; start < length; start += pool)
      order.subarray(start, Math.min(length, start + pool)).sort((a, b) => this.lengths[a] - this.lengths[b]);
    const fullBatches = Math.floor(length / this.batchSize);
    const batchOrder = rng.permutation(fullBatches);
    const result = new Int32Array(length);
    for (let batch = 0; batch < fullBatches; batch++)
      result.set(
        order.subarray(batchOrder[batch] * this.batchSize, (batchOrder[batch] + 1) * this.batchSize),
        batch * this.batchSize,
      );
    result.set(order.subarray(fullBatches * this.batchSize), fullBatches * this.batchSize);
    return result;
  }
}
