/**
 * Anything the streaming readers and {@link IterableDataset} consume.
 *
 * @example
 * const source: StreamSource<Uint8Array> = (await fetch('/big.csv')).body!;
 */
export type StreamSource<T> = Iterable<T> | AsyncIterable<T> | ReadableStream<T>;

/** True for a web `ReadableStream` (checked by shape, so it works across realms and polyfills). */
export function isReadableStream<T>(value: unknown): value is ReadableStream<T> {
  return typeof value === 'object' && value !== null && typeof (value as ReadableStream).getReader === 'function';
}

/**
 * The values of a sync iterable, async iterable or web `ReadableStream`, as one async iterator.
 * Streams are read through `getReader()` because not every browser makes them async iterable.
 */
export async function* streamValues<T>(source: StreamSource<T>): AsyncGenerator<T> {
  if (isReadableStream<T>(source)) {
    const reader = source.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      // Stopping early cancels the stream so a file or socket behind it is released.
      if (!finished) await reader.cancel();
      reader.releaseLock();
    }
  }
  yield* source as Iterable<T> | AsyncIterable<T>;
}

/** True when iterating `source` a second time would not start over (a generator, a stream). */
export function isOneShot(source: StreamSource<unknown>): boolean {
  // Iterators (generators included) iterate themselves, so a second pass finds them exhausted.
  return isReadableStream(source) || typeof (source as { next?: unknown }).next === 'function';
}
