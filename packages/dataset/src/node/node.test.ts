import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AnnetError, encodeNpy, encodeNpz, tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '../loader/data-loader.js';
import {
  csvFileDataset,
  readCsvFile,
  readIdxFile,
  readJsonLinesFile,
  readNpyFile,
  readNpzFile,
  streamCsvFile,
  streamJsonLinesFile,
} from '../node.js';

const folder = mkdtempSync(join(tmpdir(), 'annet-dataset-'));
const file = (name: string, contents: string | Uint8Array) => {
  const path = join(folder, name);
  writeFileSync(path, contents);
  return path;
};

/** A uint8 IDX file: 00 00 08 rank, big-endian dimensions, then the bytes. */
function idx(shape: number[], values: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, shape.length);
  shape.forEach((dimension, axis) => header.setUint32(4 + 4 * axis, dimension, false));
  return new Uint8Array([...new Uint8Array(header.buffer), ...values]);
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of source) values.push(value);
  return values;
}

describe('@annet/dataset/node file readers', () => {
  it('reads plain and gzip IDX files (node:zlib)', async () => {
    const bytes = idx([2, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4]);
    const plain = await readIdxFile(file('images-idx3-ubyte', bytes), { dtype: 'float32', scale: 1 / 255 });
    expect(plain.shape).toEqual([2, 2, 2]);
    expect(Array.from(plain.data.subarray(0, 4))).toEqual(Array.from(Float32Array.from([0, 1, 0.2, 0.4])));
    const zipped = await readIdxFile(file('images-idx3-ubyte.gz', gzipSync(bytes)));
    expect(zipped.toArray()).toEqual([
      [
        [0, 255],
        [51, 102],
      ],
      [
        [1, 2],
        [3, 4],
      ],
    ]);
  });

  it('names the file in every IDX error', async () => {
    const truncated = file('short-idx1-ubyte', idx([5], [1, 2, 3]));
    await expect(readIdxFile(truncated)).rejects.toThrow(
      new RegExp(
        `readIdx: ${truncated.replaceAll('\\', '\\\\')}: truncated body: dimensions \\[5\\] of uint8 need 5 bytes`,
      ),
    );
    await expect(readIdxFile(join(folder, 'missing.idx'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('missing.idx: no such file'),
    });
    await expect(readIdxFile(file('fake.gz', idx([1], [1])))).rejects.toThrow(
      /fake.gz: the name ends in .gz but the file does not start with the gzip magic number/,
    );
    const corrupt = gzipSync(idx([100], Array(100).fill(1)));
    await expect(readIdxFile(file('corrupt.gz', corrupt.subarray(0, 20)))).rejects.toThrow(
      /corrupt.gz: not a valid gzip stream/,
    );
    await expect(readIdxFile(file('labels-idx1-ubyte', idx([2], [3, 12])), { numClasses: 10 })).rejects.toThrow(
      /labels-idx1-ubyte item 1: label 12 is outside the class range \[0, 10\)/,
    );
    await expect(readIdxFile(folder)).rejects.toBeInstanceOf(AnnetError);
  });

  it('reads and streams CSV files, plain and gzip, naming the file in errors', async () => {
    const text = 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n';
    const path = file('table.csv', text);
    expect((await readCsvFile(path, { label: 'label' })).inputs.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const chunks = await collect(streamCsvFile(file('table.csv.gz', gzipSync(text)), { label: 'label', chunkRows: 2 }));
    expect(chunks.map((chunk) => chunk.targets!.toArray())).toEqual([[0, 1], [0]]);
    const broken = file('broken.csv', 'a,b\n1,2\n3,x\n');
    await expect(readCsvFile(broken)).rejects.toThrow(
      new RegExp(`broken.csv line 3, column 2 \\("b"\\): expected a number, got "x"`),
    );
    await expect(collect(streamCsvFile(broken))).rejects.toThrow(/broken.csv line 3, column 2/);
    await expect(collect(streamCsvFile(join(folder, 'absent.csv')))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(streamCsvFile(file('bad.csv.gz', 'not gzip')))).rejects.toThrow(
      /bad.csv.gz: not a valid gzip stream/,
    );
  });

  it('feeds a DataLoader from a CSV file, re-opening it every epoch', async () => {
    const path = file('loader.csv', 'x,label\n1,0\n2,1\n3,0\n');
    const loader = new DataLoader(csvFileDataset(path, { label: 'label' }), { batchSize: 2 });
    for (let epoch = 0; epoch < 2; epoch++) {
      const batches: number[][] = [];
      for await (const batch of loader) batches.push(Array.from(batch.targets.toTypedArray()));
      expect(batches).toEqual([[0, 1], [0]]);
    }
  });

  it('reads and streams JSON lines files', async () => {
    const path = file('rows.jsonl', '{"x":1}\n{"x":2}\n');
    expect(await readJsonLinesFile(path)).toEqual([{ x: 1 }, { x: 2 }]);
    expect(await collect(streamJsonLinesFile(file('rows.jsonl.gz', gzipSync('{"x":3}\n'))))).toEqual([{ x: 3 }]);
    await expect(readJsonLinesFile(file('bad.jsonl', '{"x":1}\n{x}\n'))).rejects.toThrow(
      /bad.jsonl line 2: malformed JSON/,
    );
  });

  it('reads NPY and NPZ files (written with @annet/tensor encoders), naming the file in errors', async () => {
    const npy = file(
      'w.npy',
      encodeNpy(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    );
    expect((await readNpyFile(npy)).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const npz = file(
      'd.npz',
      encodeNpz({
        x: { dtype: 'uint8', shape: [2], data: new Uint8Array([0, 255]) },
        y: tensor([1, 0], { dtype: 'int32' }),
      }),
    );
    const { x, y } = await readNpzFile(npz, { members: { x: { dtype: 'float32', scale: 1 / 255 } } });
    expect(x.toArray()).toEqual([0, 1]);
    expect(y.toArray()).toEqual([1, 0]);
    await expect(readNpyFile(file('not.npy', 'hello world!'))).rejects.toThrow(/not.npy: not an NPY file/);
    await expect(readNpzFile(join(folder, 'none.npz'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a gzip IDX file whose inflated size passes what its header declares, after a bounded amount of inflation', async () => {
    // Header 00 00 08 01 | 00 00 00 02 and two bytes: 10 bytes declared; then 16 MiB of zeros.
    const raw = new Uint8Array(10 + (16 << 20));
    raw.set(idx([2], [1, 2]));
    const path = file('bomb-idx1-ubyte.gz', gzipSync(raw, { level: 9 }));
    const error = await readIdxFile(path).then(
      () => undefined,
      (caught: unknown) => caught as AnnetError,
    );
    expect(error).toBeInstanceOf(AnnetError);
    // node:zlib's maxOutputLength stops the inflation at the declared size (Node's documented bound).
    expect(error!.message).toBe(
      `readIdx: ${path}: the gzip data inflates past the 10 bytes its IDX header declares (inflation stopped there)`,
    );
  });

  it('refuses unknown options in every file reader before reading the file', async () => {
    const missing = join(folder, 'never-read');
    await expect(readIdxFile(missing, { scal: 2 } as never)).rejects.toThrow(/^readIdx: unknown option "scal"/);
    await expect(readCsvFile(missing, { lable: 'y' } as never)).rejects.toThrow(/^readCsv: unknown option "lable"/);
    expect(() => streamCsvFile(missing, { chunkSize: 2 } as never)).toThrow(
      /^streamCsv: unknown option "chunkSize" \(did you mean "chunkRows"\?\)/,
    );
    expect(() => csvFileDataset(missing, { label: 'y', batchSize: 2 } as never)).toThrow(
      /^csvDataset: unknown option "batchSize"/,
    );
    await expect(readJsonLinesFile(missing, { delimiter: ',' } as never)).rejects.toThrow(
      /^parseJsonLines: unknown option "delimiter"; the options are source, maxLineLength$/,
    );
    expect(() => streamJsonLinesFile(missing, { encoding: 'utf8' } as never)).toThrow(
      /^streamJsonLines: unknown option "encoding"/,
    );
    await expect(readNpyFile(missing, { dtyp: 'float32' } as never)).rejects.toThrow(
      /^readNpy: unknown option "dtyp" \(did you mean "dtype"\?\)/,
    );
    await expect(readNpzFile(missing, { member: {} } as never)).rejects.toThrow(
      /^readNpz: unknown option "member" \(did you mean "members"\?\)/,
    );
  });
});
