import { AnnetError } from '@annet/tensor';
import { checkCount } from './check-index.js';
import { isOneShot, streamValues, type StreamSource } from './stream-values.js';

/**
 * A dataset read as a stream, for data that does not fit in memory or arrives over the network.
 * Give it a function that opens the source (called once per pass, so every epoch and every
 * resume re-reads it from the start), or a re-iterable value such as an array. A one-shot source
 * (a generator, a `ReadableStream`) can be read only once. Compositions are lazy.
 *
 * @example
 * const rows = new IterableDataset(() => streamCsvFile('big.csv', { label: 'y' }));
 * for await (const row of rows.filter((chunk) => chunk.inputs.size > 0).take(5)) console.log(row);
 */
export class IterableDataset<T> implements AsyncIterable<T> {
  private passes = 0;

  constructor(private readonly source: StreamSource<T> | (() => StreamSource<T>)) {
    if (typeof source !== 'function' && (typeof source !== 'object' || source === null)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'IterableDataset',
        `expected an iterable, async iterable, ReadableStream or a function returning one, got ${String(source)}`,
      );
    }
  }

  /** The samples, read from the start of the source. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.open()[Symbol.asyncIterator]();
  }

  private open(): AsyncGenerator<T> {
    const source = typeof this.source === 'function' ? this.source() : this.source;
    if (typeof this.source !== 'function' && this.passes > 0 && isOneShot(source)) {
      throw new AnnetError(
        'INVALID_STATE',
        'IterableDataset',
        'this source can be read only once (it is an iterator or a stream); pass a function that opens it, e.g. new IterableDataset(() => open())',
      );
    }
    this.passes++;
    return streamValues(source);
  }

  /** Samples `transform(sample, index)`; an async transform is awaited in order. */
  map<U>(transform: (sample: T, index: number) => U | Promise<U>): IterableDataset<U> {
    return new IterableDataset(() => mapStream(this, transform));
  }

  /** The samples for which `predicate` holds. */
  filter(predicate: (sample: T, index: number) => boolean | Promise<boolean>): IterableDataset<T> {
    return new IterableDataset(() => filterStream(this, predicate));
  }

  /** The first `count` samples; stops reading the source after them. */
  take(count: number): IterableDataset<T> {
    checkCount(count, 'take');
    return new IterableDataset(() => takeStream(this, count));
  }

  /** All but the first `count` samples. */
  skip(count: number): IterableDataset<T> {
    checkCount(count, 'skip');
    return new IterableDataset(() => filterStream(this, (_, index) => index >= count));
  }

  /** This dataset's samples followed by those of `others`. */
  concat(...others: IterableDataset<T>[]): IterableDataset<T> {
    const parts = [this, ...others];
    return new IterableDataset(async function* () {
      for (const part of parts) yield* part;
    });
  }
}

async function* mapStream<T, U>(
  source: AsyncIterable<T>,
  transform: (sample: T, index: number) => U | Promise<U>,
): AsyncGenerator<U> {
  let index = 0;
  for await (const sample of source) yield await transform(sample, index++);
}

async function* filterStream<T>(
  source: AsyncIterable<T>,
  predicate: (sample: T, index: number) => boolean | Promise<boolean>,
): AsyncGenerator<T> {
  let index = 0;
  for await (const sample of source) if (await predicate(sample, index++)) yield sample;
}

async function* takeStream<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  if (count === 0) return;
  let taken = 0;
  for await (const sample of source) {
    yield sample;
    if (++taken >= count) return;
  }
}
