import { AnnetError, rngFromState, type RngState } from '@annet/tensor';
import { IterableDataset } from '../datasets/iterable-dataset.js';
import { MapDataset } from '../datasets/map-dataset.js';
import type { Batch, RowSource } from '../datasets/sample.js';
import type { JsonValue } from '../json.js';
import type { Sampler } from '../samplers/sampler.js';
import { BatchBuffers, freshArrays, type BatchAllocator } from './batch-buffers.js';
import { defaultCollate } from './collate.js';
import { epochRngState } from './epoch-rng.js';
import { checkInteger, resolveOptions, type DataLoaderOptions } from './loader-options.js';
import { checkSettings, describeOrder } from './loader-settings.js';
import { checkLoaderState, type DataLoaderState } from './loader-state.js';
import { runAhead } from './prefetch.js';
import { isThenable, readSamples, rowBatch, streamBatches, type Produced } from './producers.js';

/**
 * Turns a dataset into batches: `{ inputs, targets }` tensors by default. Map-style datasets
 * are iterated with `for...of` (or `for await`, which awaits async samples and prefetches);
 * streams ({@link IterableDataset}) with `for await`.
 *
 * Epochs: each full pass of a `for...of` is one epoch. When it ends the loader moves to the next
 * epoch (`loader.epoch` increases) and the next loop draws a new order. Breaking out of a loop
 * keeps the place: the next loop continues the same epoch where the last one stopped. The order
 * of epoch `e` is a pure function of the generator derived from `(seed, e)`, so `setEpoch(e)`
 * jumps anywhere, and `state()` / `loadState()` resume exactly, mid-epoch included.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 64, shuffle: true, seed: 1 });
 * for (let epoch = loader.epoch; epoch < 10; epoch++) {
 *   for (const { inputs, targets } of loader) trainStep(inputs, targets);
 * }
 */
export class DataLoader<T, B = Batch> implements Iterable<B>, AsyncIterable<B> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether a short last batch is skipped. */
  readonly dropLast: boolean;
  private readonly sampler: Sampler | undefined;
  private readonly collate: (samples: Awaited<T>[], allocateArray: BatchAllocator) => B;
  private readonly customCollate: boolean;
  private readonly prefetch: number;
  private readonly reuseBuffers: boolean;
  private readonly shuffleBufferSize: number | undefined;
  /** How this loader orders an epoch (see {@link describeOrder}): saved in the state and checked on restore. */
  private readonly orderDescription: string;
  private currentSeed: number;
  private currentEpoch = 0;
  private position = 0;
  private epochRng: RngState;
  private samplerState: JsonValue = null;
  private order: Int32Array | null = null;
  private iteration = 0;

  constructor(
    readonly dataset: MapDataset<T> | IterableDataset<T>,
    options: DataLoaderOptions<Awaited<T>, B> = {},
  ) {
    const resolved = resolveOptions(dataset, options);
    this.batchSize = resolved.batchSize;
    this.currentSeed = resolved.seed;
    this.prefetch = resolved.prefetch;
    this.dropLast = resolved.dropLast;
    this.reuseBuffers = resolved.reuseBuffers;
    this.shuffleBufferSize = resolved.shuffleBufferSize;
    this.sampler = resolved.sampler;
    this.orderDescription = describeOrder(resolved.sampler, resolved.shuffleBufferSize);
    const dtypes = options.dtypes ?? {};
    const custom = options.collate;
    this.customCollate = custom !== undefined;
    this.collate = custom
      ? (samples) => custom(samples)
      : (samples, allocateArray) => defaultCollate(samples, dtypes, allocateArray) as B;
    this.epochRng = epochRngState(this.currentSeed, 0);
  }

  /** A loader over `dataset` that continues from a saved {@link DataLoaderState}. */
  static fromState<T, B = Batch>(
    dataset: MapDataset<T> | IterableDataset<T>,
    options: DataLoaderOptions<Awaited<T>, B>,
    state: DataLoaderState,
  ): DataLoader<T, B> {
    const loader = new DataLoader<T, B>(dataset, options);
    loader.loadState(state);
    return loader;
  }

  /** The current epoch, 0-based: it increases when a loop over the loader finishes an epoch. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** The seed of the per-epoch generators (the saved one after `loadState`). */
  get seed(): number {
    return this.currentSeed;
  }

  /** Batches in a full epoch (map-style datasets; `undefined` for streams, whose length is unknown). */
  get batchesPerEpoch(): number | undefined {
    if (this.dataset instanceof IterableDataset) return undefined;
    const length = this.epochOrder().length;
    return this.dropLast ? Math.floor(length / this.batchSize) : Math.ceil(length / this.batchSize);
  }

  /** Starts epoch `epoch` from its beginning (its order derived from `(seed, epoch)`). */
  setEpoch(epoch: number): void {
    checkInteger(epoch, 0, 'epoch');
    this.startEpoch(epoch, epochRngState(this.currentSeed, epoch));
  }

  /** The iteration state as plain JSON; see {@link DataLoaderState}. */
  state(): DataLoaderState {
    const isStream = this.dataset instanceof IterableDataset;
    if (!isStream) this.epochOrder();
    return {
      format: 'annet.dataloader',
      version: 2,
      seed: this.currentSeed,
      epoch: this.currentEpoch,
      position: this.position,
      batchSize: this.batchSize,
      dropLast: this.dropLast,
      order: this.orderDescription,
      length: isStream ? null : (this.dataset as MapDataset<T>).length,
      rng: { algorithm: this.epochRng.algorithm, words: [...this.epochRng.words] as [number, number, number, number] },
      sampler: this.samplerState,
    };
  }

  /**
   * Continues from a saved state: the next batches are the ones the saving loader would have
   * yielded next. The state must come from a loader with the same batch size, `dropLast`,
   * `shuffle` and sampler (the seed may differ: the saved one wins); anything else is refused
   * naming the setting. A rejected state leaves the loader as it was.
   */
  loadState(saved: DataLoaderState): void {
    const state = checkLoaderState(saved);
    checkSettings(state, { batchSize: this.batchSize, dropLast: this.dropLast, order: this.orderDescription });
    const isStream = this.dataset instanceof IterableDataset;
    const length = isStream ? null : (this.dataset as MapDataset<T>).length;
    if (state.length !== length) {
      throw new AnnetError(
        'INVALID_STATE',
        'DataLoader.loadState',
        `the state was saved for ${state.length === null ? 'a stream' : `a dataset of ${state.length} samples`}, but this loader reads ${length === null ? 'a stream' : `a dataset of ${length} samples`}`,
      );
    }
    if (state.sampler !== null && !this.sampler?.loadState) {
      throw new AnnetError(
        'INVALID_STATE',
        'DataLoader.loadState',
        "the state holds sampler state, but this loader's sampler has no loadState",
      );
    }
    // The position can only be checked against the restored epoch's order: restore, check, and put everything back on failure.
    const previous = {
      seed: this.currentSeed,
      epoch: this.currentEpoch,
      rng: this.epochRng,
      position: this.position,
      order: this.order,
      samplerState: this.samplerState,
    };
    const previousSampler = state.sampler === null ? undefined : this.sampler!.state?.();
    try {
      if (state.sampler !== null) this.sampler!.loadState!(state.sampler);
      this.currentSeed = state.seed;
      this.startEpoch(state.epoch, state.rng);
      if (!isStream && state.position > this.epochOrder().length) {
        throw new AnnetError(
          'INVALID_STATE',
          'DataLoader.loadState',
          `position ${state.position} is past the end of the epoch (${this.epochOrder().length} samples)`,
        );
      }
    } catch (error) {
      if (previousSampler !== undefined) this.sampler!.loadState!(previousSampler);
      ({
        seed: this.currentSeed,
        epoch: this.currentEpoch,
        rng: this.epochRng,
        position: this.position,
        order: this.order,
        samplerState: this.samplerState,
      } = previous);
      throw error;
    }
    this.position = state.position;
  }

  /** One epoch's batches (the rest of the current one), for map-style datasets with synchronous samples. */
  [Symbol.iterator](): Iterator<B> {
    if (this.dataset instanceof IterableDataset) {
      throw new AnnetError(
        'INVALID_STATE',
        'DataLoader',
        'this loader reads a stream; iterate it with for await (const batch of loader)',
      );
    }
    return this.syncBatches(this.dataset);
  }

  /** One epoch's batches (the rest of the current one), awaiting async samples and producing `prefetch` batches ahead. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const iteration = ++this.iteration;
    const buffers = this.reuseBuffers ? new BatchBuffers(this.prefetch + 2) : undefined;
    const producer =
      this.dataset instanceof IterableDataset
        ? this.streamProducer(this.dataset, buffers)
        : this.mapProducer(this.dataset, buffers);
    const source = this.prefetch > 0 ? runAhead(producer, this.prefetch) : producer;
    for await (const { batch, count } of source) {
      this.checkCurrent(iteration);
      this.position += count;
      yield batch;
    }
    this.checkCurrent(iteration);
    this.startEpoch(this.currentEpoch + 1, epochRngState(this.currentSeed, this.currentEpoch + 1));
  }

  private *syncBatches(dataset: MapDataset<T>): Generator<B> {
    const iteration = ++this.iteration;
    const buffers = this.reuseBuffers ? new BatchBuffers(1) : undefined;
    const allocateArray = buffers ? buffers.take.bind(buffers) : freshArrays;
    const rows = this.fastRows(dataset);
    for (;;) {
      this.checkCurrent(iteration);
      const order = this.epochOrder();
      const count = this.nextCount(order.length, this.position);
      if (count === 0) break;
      let batch: B;
      if (rows) batch = rowBatch(rows, order, this.position, count, allocateArray) as B;
      else {
        const samples = readSamples(dataset, order, this.position, count);
        for (const sample of samples) {
          if (isThenable(sample))
            throw new AnnetError(
              'INVALID_STATE',
              'DataLoader',
              'the dataset returned a Promise; iterate async samples with for await (const batch of loader)',
            );
        }
        batch = this.collate(samples as Awaited<T>[], allocateArray);
      }
      this.position += count;
      yield batch;
    }
    this.startEpoch(this.currentEpoch + 1, epochRngState(this.currentSeed, this.currentEpoch + 1));
  }

  private async *mapProducer(dataset: MapDataset<T>, buffers: BatchBuffers | undefined): AsyncGenerator<Produced<B>> {
    const allocateArray = buffers ? buffers.take.bind(buffers) : freshArrays;
    const rows = this.fastRows(dataset);
    const order = this.epochOrder();
    let position = this.position;
    for (;;) {
      const count = this.nextCount(order.length, position);
      if (count === 0) return;
      buffers?.advance();
      let batch: B;
      if (rows) batch = rowBatch(rows, order, position, count, allocateArray) as B;
      else batch = this.collate(await Promise.all(readSamples(dataset, order, position, count)), allocateArray);
      position += count;
      yield { batch, count };
    }
  }

  private streamProducer(dataset: IterableDataset<T>, buffers: BatchBuffers | undefined): AsyncGenerator<Produced<B>> {
    const allocateArray = buffers ? buffers.take.bind(buffers) : freshArrays;
    return streamBatches<Awaited<T>, B>(dataset, {
      batchSize: this.batchSize,
      dropLast: this.dropLast,
      skip: this.position,
      shuffleBufferSize: this.shuffleBufferSize,
      rng: rngFromState(this.epochRng),
      collate: (samples) => this.collate(samples, allocateArray),
      advance: () => buffers?.advance(),
    });
  }

  /** The row fast path, when the default collate would stack rows anyway. */
  private fastRows(dataset: MapDataset<T>): RowSource | undefined {
    return this.customCollate ? undefined : dataset.rows();
  }

  /** Size of the batch starting at `position`, or 0 when the epoch is over. */
  private nextCount(length: number, position: number): number {
    const count = Math.min(this.batchSize, length - position);
    return count <= 0 || (this.dropLast && count < this.batchSize) ? 0 : count;
  }

  /** The current epoch's order, drawn once from the epoch's generator. */
  private epochOrder(): Int32Array {
    if (this.order) return this.order;
    const dataset = this.dataset as MapDataset<T>;
    const sampler = this.sampler!;
    this.samplerState = sampler.state?.() ?? null;
    const length = dataset.length;
    const drawn = sampler.epochIndices(length, rngFromState(this.epochRng), this.currentEpoch);
    const order = drawn instanceof Int32Array ? drawn : Int32Array.from(drawn);
    for (let position = 0; position < order.length; position++) {
      const index = order[position];
      if (index < 0 || index >= length) {
        throw new AnnetError(
          'INDEX_OUT_OF_RANGE',
          'DataLoader',
          `the sampler returned index ${index} at position ${position} of epoch ${this.currentEpoch}, outside the dataset's range [0, ${length})`,
        );
      }
    }
    this.order = order;
    return order;
  }

  private startEpoch(epoch: number, rng: RngState): void {
    this.currentEpoch = epoch;
    this.epochRng = rng;
    this.position = 0;
    this.order = null;
  }

  private checkCurrent(iteration: number): void {
    if (iteration !== this.iteration) {
      throw new AnnetError(
        'INVALID_STATE',
        'DataLoader',
        'another loop over this loader started after this one; a loader serves one iteration at a time',
      );
    }
  }
}
