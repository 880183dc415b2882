// Encode and decode of a checkpoint of a ~10M-parameter model with Adam state (~120 MB), in
// memory and on disk: MB/s, copies per tensor, and memory. Run with `pnpm bench` in this package.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, Tensor } from '@annet/tensor';
import { decodeCheckpoint, decodeSafetensors, encodeCheckpoint, type Checkpoint } from '../src/index.js';
import { loadCheckpoint, saveCheckpoint } from '../src/node.js';

/** Dense layers [inputs, outputs]: 784·2048 + 2048·2048 + 2048·1024 + 2·1024·1024 + 1024·10 weights, plus biases: 10.0M parameters. */
const layers: ReadonlyArray<readonly [number, number]> = [
  [784, 2048],
  [2048, 2048],
  [2048, 1024],
  [1024, 1024],
  [1024, 1024],
  [1024, 10],
];
const repeats = 5;

function filled(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  // A cheap deterministic pattern: the benchmark measures bytes moved, not their values.
  for (let index = 0; index < length; index++) values[index] = ((index * 2654435761 + seed) % 2000003) / 1000003 - 1;
  return values;
}

function buildCheckpoint(): { checkpoint: Checkpoint; parameters: number } {
  const tensors: Record<string, Tensor> = {};
  let parameters = 0;
  layers.forEach(([inputs, outputs], index) => {
    for (const [suffix, shape] of [
      ['weights', [inputs, outputs]],
      ['bias', [outputs]],
    ] as const) {
      const name = `dense_${index + 1}.${suffix}`;
      const size = shape.reduce((product, dimension) => product * dimension, 1);
      parameters += size;
      tensors[`model.${name}`] = new Tensor(filled(size, index * 3), shape);
      tensors[`optimizer.${name}.m`] = new Tensor(filled(size, index * 3 + 1), shape);
      tensors[`optimizer.${name}.v`] = new Tensor(filled(size, index * 3 + 2), shape);
    }
  });
  const checkpoint: Checkpoint = {
    format: 'annet-checkpoint',
    formatVersion: 1,
    annetVersion: '0.1.0',
    tensors,
    architecture: {
      className: 'Sequential',
      layers: layers.map(([, units], index) => ({ className: 'Dense', name: `dense_${index + 1}`, units })),
    },
    optimizer: {
      type: 'Adam',
      config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      state: { step: 1000 },
    },
    schedule: null,
    rng: { dataLoader: { algorithm: 'xoshiro128**', words: [1, 2, 3, 4] } },
    dataLoader: { position: 0 },
    epoch: 3,
    step: 1000,
    history: { loss: Array.from({ length: 100 }, (_, index) => 1 / (index + 1)) },
  };
  return { checkpoint, parameters };
}

async function timeMedian(run: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    collect();
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[repeats >> 1];
}

const megabytes = (bytes: number) => bytes / 1e6;
/** Peak resident memory of the process so far, in MB (it only grows). */
const peakRss = () => process.resourceUsage().maxRSS / 1024;
/** Collects garbage when node runs with --expose-gc, so timed repetitions do not pile up. */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const { checkpoint, parameters } = buildCheckpoint();
  const tensorCount = Object.keys(checkpoint.tensors).length;
  const rows: string[][] = [];
  // maxRSS only grows: each row shows the peak reached by the end of that operation.
  const row = (operation: string, milliseconds: number, bytes: number, copies: string, note: string) =>
    rows.push([
      operation,
      `${milliseconds.toFixed(1)}`,
      `${(megabytes(bytes) / (milliseconds / 1000)).toFixed(0)}`,
      copies,
      note,
    ]);

  // Memory first, one operation at a time, keeping each result alive so the peaks add up honestly.
  collect();
  const rssModel = peakRss();
  const single = encodeCheckpoint(checkpoint);
  const rssEncode = peakRss();
  const views = decodeCheckpoint(single);
  const rssDecode = peakRss();
  const copies = decodeCheckpoint(single, { copy: true });
  const rssCopy = peakRss();
  const memory = `peak RSS: ${rssModel.toFixed(0)} MB holding the model and its Adam state; ${rssEncode.toFixed(0)} MB after encodeCheckpoint (+${(rssEncode - rssModel).toFixed(0)}: the file); ${rssDecode.toFixed(0)} MB after decodeCheckpoint (+${(rssDecode - rssEncode).toFixed(0)}: views); ${rssCopy.toFixed(0)} MB after decodeCheckpoint { copy: true } (+${(rssCopy - rssDecode).toFixed(0)}: one copy)`;
  const viewCount = Object.values(views.tensors).filter((tensor) => tensor.data.buffer === single.buffer).length;
  const copyCount = Object.values(copies.tensors).filter((tensor) => tensor.data.buffer !== single.buffer).length;
  collect();

  const bytes = single;
  row(
    'encodeCheckpoint',
    await timeMedian(() => encodeCheckpoint(checkpoint)),
    bytes.length,
    '1 (into the file buffer)',
    `one ${megabytes(bytes.length).toFixed(1)} MB allocation, data CRC-32 included`,
  );
  row(
    'decodeCheckpoint',
    await timeMedian(() => decodeCheckpoint(bytes)),
    bytes.length,
    `${tensorCount - viewCount} of ${tensorCount}`,
    'views into the file; both checksums verified',
  );
  row(
    'decodeCheckpoint { copy: true }',
    await timeMedian(() => decodeCheckpoint(bytes, { copy: true })),
    bytes.length,
    `${copyCount} of ${tensorCount}`,
    'one copy per tensor',
  );
  row(
    'decodeSafetensors',
    await timeMedian(() => decodeSafetensors(bytes)),
    bytes.length,
    `0 of ${tensorCount}`,
    'structure only, no checksum',
  );
  row(
    'crc32 of the data section',
    await timeMedian(() => crc32(bytes)),
    bytes.length,
    '-',
    'the bulk of decodeCheckpoint',
  );

  const folder = mkdtempSync(path.join(tmpdir(), 'annet-bench-'));
  try {
    const file = path.join(folder, 'model.ckpt');
    row(
      'saveCheckpoint (disk)',
      await timeMedian(() => saveCheckpoint(file, checkpoint, { keepLast: 2 })),
      bytes.length,
      '1',
      'encode (native CRC-32) + write + fsync + rename + folder fsync',
    );
    row(
      'loadCheckpoint (disk)',
      await timeMedian(() => loadCheckpoint(file)),
      bytes.length,
      `0 of ${tensorCount}`,
      'read + decode (native CRC-32)',
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  console.log(
    `checkpoint: ${(parameters / 1e6).toFixed(2)}M parameters + Adam m and v = ${tensorCount} float32 tensors, ${megabytes(bytes.length).toFixed(1)} MB; median of ${repeats}`,
  );
  console.log(memory);
  const headers = ['operation', 'ms', 'MB/s', 'copies per tensor', 'note'];
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((cells) => cells[column].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const cells of rows) console.log(line(cells));
}

await main();
