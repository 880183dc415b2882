import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';

/**
 * Where `fit` draws its batches from, epoch by epoch. Without `stepsPerEpoch` an epoch is one pass
 * of the loader (a map-style dataset's batches, or a stream read to its end). With
 * `stepsPerEpoch`, an epoch is that many batches and the loader's passes run on across epochs
 * (as Keras's `steps_per_epoch` over a repeated dataset): an epoch may end mid-pass, and a pass
 * ending mid-epoch starts the loader's next pass (a new seeded order). The iterator stays open
 * across epochs, so a stream is never re-opened to continue. Map-style loaders are read
 * synchronously (no await per batch); streams with `for await`.
 *
 * @example
 * const feed = new BatchFeed(loader, null, 'fit');
 * for (let batch = feed.next(0); batch !== null; batch = feed.next(++index)) step(batch as Batch);
 */
export class BatchFeed {
  /** True when batches come from a stream, so {@link BatchFeed.next} returns promises. */
  readonly isAsync: boolean;
  private syncIterator: Iterator<Batch> | null = null;
  private asyncIterator: AsyncIterator<Batch> | null = null;
  private batchesInPass = 0;
  /** False for the first pass, which may continue a restored position (and so rightly yield nothing). */
  private passFromStart: boolean;

  constructor(
    private readonly loader: DataLoader<unknown, Batch>,
    readonly stepsPerEpoch: number | null,
    private readonly operation: string,
  ) {
    this.isAsync = loader.batchesPerEpoch === undefined;
    this.passFromStart = loader.state().position === 0;
  }

  /** The next batch of the epoch, `batchInEpoch` batches into it, or `null` when the epoch is over. */
  next(batchInEpoch: number): Batch | null | Promise<Batch | null> {
    if (this.stepsPerEpoch !== null && batchInEpoch >= this.stepsPerEpoch) return null;
    return this.isAsync ? this.nextAsync() : this.nextSync();
  }

  /** Releases the loader's iterator (a stream's source is cancelled); the loader keeps its position. */
  async close(): Promise<void> {
    const iterator = this.asyncIterator;
    this.syncIterator?.return?.();
    this.syncIterator = null;
    this.asyncIterator = null;
    if (iterator !== null) await iterator.return?.();
  }

  private nextSync(): Batch | null {
    for (;;) {
      this.syncIterator ??= this.loader[Symbol.iterator]();
      const result = this.syncIterator.next();
      if (!result.done) return this.counted(result.value);
      if (!this.passEnded()) return null;
    }
  }

  private async nextAsync(): Promise<Batch | null> {
    for (;;) {
      this.asyncIterator ??= this.loader[Symbol.asyncIterator]();
      const result = await this.asyncIterator.next();
      if (!result.done) return this.counted(result.value);
      if (!this.passEnded()) return null;
    }
  }

  private counted(batch: Batch): Batch {
    this.batchesInPass++;
    return batch;
  }

  /** A pass of the loader ended: `true` when the epoch goes on into the next pass. */
  private passEnded(): boolean {
    const empty = this.batchesInPass === 0 && this.passFromStart;
    this.syncIterator = null;
    this.asyncIterator = null;
    this.batchesInPass = 0;
    this.passFromStart = true;
    if (empty) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `a pass of the training data yielded no batches${this.stepsPerEpoch === null ? '' : `, so the ${this.stepsPerEpoch} steps of an epoch cannot be filled`} (an empty stream, or fewer samples than batchSize with dropLast)`,
      );
    }
    return this.stepsPerEpoch !== null;
  }
}
