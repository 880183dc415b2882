import { AnnetError } from '@annet/tensor';
import { IterableDataset } from '../datasets/iterable-dataset.js';
import { MapDataset } from '../datasets/map-dataset.js';
import { RandomSampler } from '../samplers/random-sampler.js';
import type { Sampler } from '../samplers/sampler.js';
import { SequentialSampler } from '../samplers/sequential-sampler.js';
import type { Collate, CollateDTypes } from './collate.js';

/**
 * Options of {@link DataLoader}.
 *
 * @example
 * const options: DataLoaderOptions<Sample, Batch> = { batchSize: 64, shuffle: true, seed: 1, dropLast: true };
 */
export interface DataLoaderOptions<S, B> {
  /** Samples per batch (default 32). */
  readonly batchSize?: number;
  /** Visit the samples in a new random permutation every epoch (default false). Same as `sampler: new RandomSampler()`. */
  readonly shuffle?: boolean;
  /** Seed of the per-epoch generators (default 0): the same seed gives the same batches. */
  readonly seed?: number;
  /** Skip the last batch of an epoch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
  /** Chooses each epoch's indices (map-style datasets); excludes `shuffle`. */
  readonly sampler?: Sampler;
  /** Builds a batch from samples (default {@link defaultCollate}, stacking into `{ inputs, targets }`). */
  readonly collate?: Collate<S, B>;
  /** dtypes the default collate gives numbers and arrays (tensors keep theirs). */
  readonly dtypes?: CollateDTypes;
  /** Batches produced ahead while the consumer works, for `for await` (default 2; 0 turns it off). */
  readonly prefetch?: number;
  /**
   * Reuse batch arrays: a batch is valid only until the next one is requested (default false).
   * Applies to the default collate; a custom collate allocates what it returns. The reused
   * float32 arrays live in the kernels' memory (`residentZeros` of `@annet/tensor`), where a
   * model's products read them without a copy; `fit` and `evaluate` batch this way.
   */
  readonly reuseBuffers?: boolean;
  /** Shuffle a stream through a buffer of this many samples (streams only; needed with `shuffle`). */
  readonly shuffleBufferSize?: number;
}

/** Throws unless `value` is a safe integer `>= minimum`; returns it. */
export function checkInteger(value: number, minimum: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new AnnetError('INVALID_ARGUMENT', 'DataLoader', `${name} must be an integer >= ${minimum}, got ${value}`);
  }
  return value;
}

/** The options with defaults filled in and combinations checked. */
export interface ResolvedOptions {
  readonly batchSize: number;
  readonly seed: number;
  readonly prefetch: number;
  readonly dropLast: boolean;
  readonly reuseBuffers: boolean;
  /** The sampler of a map-style dataset; `undefined` for a stream. */
  readonly sampler: Sampler | undefined;
  /** The shuffle buffer of a shuffled stream. */
  readonly shuffleBufferSize: number | undefined;
}

/** Validates the options against the kind of dataset, with messages that say what to pass instead. */
export function resolveOptions<S, B>(dataset: unknown, options: DataLoaderOptions<S, B>): ResolvedOptions {
  const isStream = dataset instanceof IterableDataset;
  if (!isStream && !(dataset instanceof MapDataset)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'DataLoader',
      `expected a MapDataset or IterableDataset, got ${Object.prototype.toString.call(dataset)}; wrap arrays in ArrayDataset and streams in IterableDataset`,
    );
  }
  const fail = (detail: string) => new AnnetError('INVALID_ARGUMENT', 'DataLoader', detail);
  if (options.shuffle && options.sampler)
    throw fail('pass either shuffle or sampler, not both (shuffle: true means sampler: new RandomSampler())');
  let sampler: Sampler | undefined;
  let shuffleBufferSize: number | undefined;
  if (isStream) {
    if (options.sampler)
      throw fail(
        'a sampler needs a map-style dataset; a stream can only be shuffled through a buffer (shuffle with shuffleBufferSize)',
      );
    if (options.shuffle && options.shuffleBufferSize === undefined)
      throw fail('shuffling a stream needs shuffleBufferSize (samples held in memory to shuffle among)');
    shuffleBufferSize = options.shuffle ? checkInteger(options.shuffleBufferSize!, 1, 'shuffleBufferSize') : undefined;
  } else {
    if (options.shuffleBufferSize !== undefined)
      throw fail('shuffleBufferSize is for streams; a map-style dataset shuffles with a full permutation');
    sampler = options.sampler ?? (options.shuffle ? new RandomSampler() : new SequentialSampler());
  }
  return {
    batchSize: checkInteger(options.batchSize ?? 32, 1, 'batchSize'),
    seed: checkInteger(options.seed ?? 0, Number.MIN_SAFE_INTEGER, 'seed'),
    prefetch: checkInteger(options.prefetch ?? 2, 0, 'prefetch'),
    dropLast: options.dropLast ?? false,
    reuseBuffers: options.reuseBuffers ?? false,
    sampler,
    shuffleBufferSize,
  };
}
