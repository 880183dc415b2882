// Time to parse 10,000 MNIST IDX images from .gz: the real file from /work/shared when present
// (ANNET_MNIST_IMAGES overrides the path), else a generated file of the same size and sparsity.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRng } from '@annet/tensor';
import { readIdxFile } from '../src/node/idx-file.js';
import { decodeIdx, readIdx } from '../src/readers/idx.js';
import { formatNumber, median, printTable } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const shared =
  process.env.ANNET_MNIST_IMAGES ?? resolve(here, '../../../../../shared/data/mnist/train10k-images-idx3-ubyte.gz');

/** 10,000 synthetic 28×28 digits: about 19% non-zero pixels, like MNIST, so gzip works as hard. */
function syntheticImages(): Uint8Array {
  const count = 10_000;
  const bytes = new Uint8Array(16 + count * 784);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x00000803, false);
  view.setUint32(4, count, false);
  view.setUint32(8, 28, false);
  view.setUint32(12, 28, false);
  const rng = createRng(3);
  for (let index = 16; index < bytes.length; index++) if (rng.uniform() < 0.19) bytes[index] = rng.randint(1, 256);
  return gzipSync(bytes);
}

const fromShared = existsSync(shared);
const zipped = fromShared ? new Uint8Array(readFileSync(shared)) : syntheticImages();
const path = fromShared
  ? shared
  : join(mkdtempSync(join(tmpdir(), 'annet-idx-bench-')), 'train10k-images-idx3-ubyte.gz');
if (!fromShared) writeFileSync(path, zipped);
const raw = new Uint8Array(gunzipSync(zipped));

async function time(label: string, body: () => Promise<unknown> | unknown, runs = 7): Promise<string[]> {
  await body();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  const milliseconds = median(times);
  return [label, formatNumber(milliseconds, 1), formatNumber(10_000 / (milliseconds / 1000))];
}

const rows = [
  await time('readIdxFile (node:zlib), int32', () => readIdxFile(path)),
  await time('readIdxFile (node:zlib), float32 / 255', () => readIdxFile(path, { dtype: 'float32', scale: 1 / 255 })),
  await time('readIdx bytes (DecompressionStream), int32', () => readIdx(zipped)),
  await time('readIdx bytes (DecompressionStream), float32 / 255', () =>
    readIdx(zipped, { dtype: 'float32', scale: 1 / 255 }),
  ),
  await time('decodeIdx, already decompressed, float32 / 255', () =>
    decodeIdx(raw, { dtype: 'float32', scale: 1 / 255 }),
  ),
];
console.log(
  `\nIDX: 10,000 images 28×28 from .gz (${fromShared ? `real MNIST: ${shared}` : 'generated: shared MNIST file not found'}; ${formatNumber(zipped.length)} bytes gzip, ${formatNumber(raw.length)} raw; median of 7 runs)\n`,
);
printTable(['path', 'ms', 'images/s'], rows);
