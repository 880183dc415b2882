import type { Rng } from '@annet/tensor';

/**
 * Shuffles a stream approximately with a buffer of `size` samples (as tf.data's `shuffle`):
 * each incoming sample replaces a uniformly chosen buffered one, which is emitted; at the end the
 * buffer is emitted in a random order. Memory is `size` samples. With the same generator state
 * the output is the same, so a loader can replay it to resume.
 *
 * @example
 * for await (const sample of shuffleBuffer(source, 1024, createRng(0))) use(sample);
 */
export async function* shuffleBuffer<T>(source: AsyncIterable<T>, size: number, rng: Rng): AsyncGenerator<T> {
  const buffer: T[] = [];
  for await (const sample of source) {
    if (buffer.length < size) {
      buffer.push(sample);
      continue;
    }
    const slot = rng.randint(0, size);
    const emitted = buffer[slot];
    buffer[slot] = sample;
    yield emitted;
  }
  rng.shuffle(buffer);
  yield* buffer;
}
