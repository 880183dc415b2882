/**
 * Runs an async iterator up to `depth` values ahead of its consumer: while the consumer works on
 * one value the next ones are already being produced (I/O, decoding). Order is unchanged.
 * Async generators queue `next()` calls, so keeping `depth` calls outstanding is enough.
 */
export async function* runAhead<T>(source: AsyncIterator<T>, depth: number): AsyncGenerator<T> {
  const queue: Promise<IteratorResult<T>>[] = [];
  const request = () => {
    const next = source.next();
    // Requests the consumer abandons must not surface as unhandled rejections.
    next.catch(() => undefined);
    queue.push(next);
  };
  try {
    for (let index = 0; index < depth; index++) request();
    for (;;) {
      const result = await queue.shift()!;
      if (result.done) return;
      request();
      yield result.value;
    }
  } finally {
    await source.return?.();
  }
}
