import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '../../loader/data-loader.js';
import { readCsv } from './read-csv.js';
import { csvDataset, streamCsv, type CsvChunk } from './stream-csv.js';

async function collect(source: AsyncIterable<CsvChunk>): Promise<CsvChunk[]> {
  const chunks: CsvChunk[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

/** The bytes split at the given points, as an async iterable (like a file stream). */
async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  const points = [...new Set(cuts.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  for (const point of points) {
    yield bytes.subarray(start, point);
    start = point;
  }
  yield bytes.subarray(start);
}

const text = 'x,"note",label\n1,"a, b",0\n2,"ü ""c""\n",1\n3,,1\n4,d,0\n5,é,1\n';

describe('streamCsv', () => {
  it('yields blocks of chunkRows rows (hand-derived)', async () => {
    const chunks = await collect(streamCsv(text, { columns: ['x'], label: 'label', chunkRows: 2 }));
    expect(chunks.map((chunk) => chunk.rows)).toEqual([2, 2, 1]);
    expect(chunks.map((chunk) => chunk.inputs.toArray())).toEqual([[[1], [2]], [[3], [4]], [[5]]]);
    expect(chunks.map((chunk) => chunk.targets!.toArray())).toEqual([[0, 1], [1, 0], [1]]);
    expect(chunks[0].columns).toEqual(['x']);
  });

  it('equals readCsv however the bytes are cut, even inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode(text);
    const whole = readCsv(text, { columns: ['x'], label: 'label' });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(200), { maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        async (cuts, chunkRows) => {
          const chunks = await collect(streamCsv(pieces(bytes, cuts), { columns: ['x'], label: 'label', chunkRows }));
          expect(chunks.flatMap((chunk) => chunk.inputs.toArray() as number[][])).toEqual(whole.inputs.toArray());
          expect(chunks.flatMap((chunk) => chunk.targets!.toArray() as number[])).toEqual(whole.targets!.toArray());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a web ReadableStream of bytes and counts dropped rows as it goes', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\nNaN,3\n4,5\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 7));
        controller.enqueue(bytes.subarray(7));
        controller.close();
      },
    });
    const chunks = await collect(streamCsv(stream, { nan: 'drop', chunkRows: 1 }));
    expect(chunks.map((chunk) => chunk.inputs.toArray())).toEqual([[[1, 2]], [[4, 5]]]);
    expect(chunks.map((chunk) => chunk.droppedRows)).toEqual([0, 1]);
  });

  it('needs category and class lists up front, and reports errors with the line', async () => {
    await expect(collect(streamCsv('a,b\nx,1\n', { types: { a: 'category' } }))).rejects.toThrow(
      /streamCsv: category column "a" needs its categories listed/,
    );
    await expect(collect(streamCsv('a,b\n1,x\n', { label: 'b', labelType: 'string' }))).rejects.toThrow(
      /a string label column needs its class names listed/,
    );
    const listed = await collect(
      streamCsv('a,b\n1,x\n2,y\n', { label: 'b', labelType: 'string', classes: ['y', 'x'] }),
    );
    expect(listed[0].targets!.toArray()).toEqual([1, 0]);
    await expect(collect(streamCsv('a\n1\n2\nzz\n', { source: 'big.csv', chunkRows: 1 }))).rejects.toThrow(
      /big.csv line 4, column 1 \("a"\): expected a number, got "zz"/,
    );
    await expect(collect(streamCsv('a\n1\n', { chunkRows: 0 }))).rejects.toThrow(
      /chunkRows must be a positive integer/,
    );
    await expect(collect(streamCsv(new Uint8Array([0x61, 0x0a, 0xc3]), { source: 'cut.csv' }))).rejects.toThrow(
      /cut.csv: the bytes are not valid UTF-8/,
    );
  });
});

describe('csvDataset', () => {
  it('feeds a DataLoader row by row, re-reading the source every epoch', async () => {
    let opened = 0;
    const dataset = csvDataset(
      () => {
        opened++;
        return text;
      },
      { columns: ['x'], label: 'label', chunkRows: 2 },
    );
    const loader = new DataLoader(dataset, { batchSize: 3 });
    const epochs: number[][][] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const batches: number[][] = [];
      for await (const batch of loader) batches.push(Array.from(batch.inputs.toTypedArray()));
      epochs.push(batches);
    }
    expect(epochs).toEqual([
      [
        [1, 2, 3],
        [4, 5],
      ],
      [
        [1, 2, 3],
        [4, 5],
      ],
    ]);
    expect(opened).toBe(2);
    expect(() => csvDataset(() => text, {} as never)).toThrow(/needs a label column/);
  });
});
