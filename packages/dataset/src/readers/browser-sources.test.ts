import { encodeNpy, encodeNpz, tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { parseJsonLines, streamJsonLines } from './json/json-lines.js';
import { readCsv } from './csv/read-csv.js';
import { csvDataset, streamCsv } from './csv/stream-csv.js';
import { readIdx } from './idx.js';
import { readNpy, readNpz } from './npy.js';

/** A 2x3 uint8 IDX file: magic 00 00 08 02, dimensions 2 and 3 as big-endian int32, then the six bytes. */
const idx = Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6);

/** A ReadableStream handing out `bytes` in chunks of `size`, as a network body would. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

const text = (value: string) => new TextEncoder().encode(value);

describe('readers given a File, Blob, Response or ReadableStream', () => {
  it('readIdx reads each like the bytes, and names a File in its errors', async () => {
    for (const source of [new File([idx], 'digits.idx'), new Blob([idx]), new Response(idx), chunked(idx, 5)]) {
      expect((await readIdx(source)).toArray()).toEqual([
        [1, 2, 3],
        [4, 5, 6],
      ]);
    }
    await expect(readIdx(new File([idx.subarray(0, 15)], 'short.idx'))).rejects.toThrow(
      'readIdx: short.idx: truncated body',
    );
  });

  it('readNpy returns a promise for a Blob and the tensor at once for bytes; readNpz reads a Response', async () => {
    const array = tensor(
      [
        [1.5, -2],
        [3, 4],
      ],
      { dtype: 'float32' },
    );
    const bytes = encodeNpy(array).slice();
    const fromBlob = readNpy(new Blob([bytes]));
    expect(fromBlob).toBeInstanceOf(Promise);
    expect((await fromBlob).toArray()).toEqual(array.toArray());
    expect(readNpy(bytes).toArray()).toEqual(array.toArray());
    const archive = await readNpz(new Response(encodeNpz({ x: array, y: tensor([1, 0], { dtype: 'int32' }) }).slice()));
    expect(archive.y.toArray()).toEqual([1, 0]);
    await expect(readNpz(new Response('missing', { status: 404, statusText: 'Not Found' }))).rejects.toThrow(
      'readNpz: the response has status 404 Not Found',
    );
  });

  it('readCsv and parseJsonLines read Files and streams, naming the File in errors', async () => {
    const csv = 'x,y,label\n1,2,0\n3,4,1\n';
    const table = await readCsv(new File([csv], 'points.csv'), { label: 'label', numClasses: 2 });
    expect(table.inputs.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await expect(
      readCsv(new File(['x,label\n1,0\nfoo,1\n'], 'bad.csv'), { label: 'label', numClasses: 2 }),
    ).rejects.toThrow(/bad\.csv/);
    expect(await parseJsonLines(chunked(text('{"a":1}\n{"a":2}\n'), 3))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('streamCsv, csvDataset and streamJsonLines read a File in chunks, again at every pass', async () => {
    const rows = Array.from({ length: 50 }, (_, row) => `${row},${row * 2},${row % 3}`).join('\n');
    const file = new File([`a,b,label\n${rows}\n`], 'rows.csv');
    let total = 0;
    for await (const chunk of streamCsv(file, { label: 'label', numClasses: 3, chunkRows: 16 })) total += chunk.rows;
    expect(total).toBe(50);
    const dataset = csvDataset(() => file, { label: 'label', numClasses: 3 });
    for (let pass = 0; pass < 2; pass++) {
      const labels: number[] = [];
      for await (const sample of dataset) labels.push(sample.target.item() as number);
      expect(labels.length).toBe(50);
      expect(labels.slice(0, 4)).toEqual([0, 1, 2, 0]);
    }
    const values = [];
    for await (const value of streamJsonLines(new Blob(['1\n2\n3\n']))) values.push(value);
    expect(values).toEqual([1, 2, 3]);
  });
});
