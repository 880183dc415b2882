import { describe, expect, it } from 'vitest';
import { IterableDataset } from './iterable-dataset.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of source) values.push(value);
  return values;
}

describe('IterableDataset', () => {
  it('reads sync iterables, async iterables and web streams', async () => {
    expect(await collect(new IterableDataset([1, 2, 3]))).toEqual([1, 2, 3]);
    expect(
      await collect(
        new IterableDataset(async function* () {
          yield 'a';
          yield 'b';
        }),
      ),
    ).toEqual(['a', 'b']);
    const stream = new ReadableStream<number>({
      start(controller) {
        controller.enqueue(4);
        controller.enqueue(5);
        controller.close();
      },
    });
    expect(await collect(new IterableDataset(stream))).toEqual([4, 5]);
  });

  it('composes map (async too), filter, take, skip and concat lazily (hand-derived)', async () => {
    let opened = 0;
    const numbers = new IterableDataset(function* () {
      opened++;
      for (let value = 0; value < 10; value++) yield value;
    });
    const result = numbers
      .filter((value) => value % 2 === 0) // 0 2 4 6 8
      .map(async (value, index) => value * 10 + index) // 0 21 42 63 84
      .skip(1)
      .take(3)
      .concat(new IterableDataset([-1]));
    expect(await collect(result)).toEqual([21, 42, 63, -1]);
    expect(await collect(result)).toEqual([21, 42, 63, -1]);
    expect(opened).toBe(2);
    expect(await collect(numbers.take(0))).toEqual([]);
  });

  it('stops reading the source after take', async () => {
    let produced = 0;
    const endless = new IterableDataset(function* () {
      for (;;) yield produced++;
    });
    expect(await collect(endless.take(3))).toEqual([0, 1, 2]);
    expect(produced).toBeLessThanOrEqual(4);
  });

  it('refuses a second pass over a one-shot source, saying how to fix it', async () => {
    function* once() {
      yield 1;
    }
    const dataset = new IterableDataset(once());
    expect(await collect(dataset)).toEqual([1]);
    expect(() => dataset[Symbol.asyncIterator]()).toThrow(/can be read only once .* pass a function that opens it/);
    expect(() => new IterableDataset(5 as never)).toThrow(/expected an iterable/);
    expect(() => new IterableDataset([1]).take(-1)).toThrow(/count must be a non-negative integer/);
  });

  it('cancels a web stream when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<number>({
      pull(controller) {
        controller.enqueue(1);
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await collect(new IterableDataset(stream).take(2))).toEqual([1, 1]);
    expect(cancelled).toBe(true);
  });
});
