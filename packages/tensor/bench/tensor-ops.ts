/**
 * `pnpm bench`: throughput of the TypeScript kernels and ops on one thread. Imports op files
 * directly (not the package index) so it compiles on its own. Times are CPU seconds of this
 * process (best of four rounds), so that sharing the machine with other jobs does not count;
 * cache and memory-bandwidth contention still do. Compare numbers from one run.
 */
import { tensor, zeros } from '../src/create.js';
import { activeKernels, useKernels } from '../src/kernels/kernel-selection.js';
import { jsKernels } from '../src/kernels/js-kernels.js';
import { matmulNaive } from '../src/kernels/matmul-naive.js';
import { add } from '../src/ops/elementwise-binary.js';
import { matmul } from '../src/ops/matmul.js';
import { softmax } from '../src/ops/softmax.js';
import { relu } from '../src/ops/unary.js';
import type { Tensor } from '../src/tensor.js';
import { layerOpsTable } from './layer-ops.js';
import { cpuSecondsPerCall as secondsPerCall, printTable } from './timing.js';

function filled(shape: number[], seed: number): Tensor<'float32'> {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(
    new Float32Array(size).map((_, index) => Math.sin(index * 12.9898 + seed)),
    { shape },
  ) as Tensor<'float32'>;
}

interface MatmulCase {
  label: string;
  a: Tensor<'float32'>;
  b: Tensor<'float32'>;
  options: { transposeA: boolean; transposeB: boolean; out: Tensor };
  flops: number;
  naiveArgs: Parameters<typeof matmulNaive<Float32Array>>[0];
}

function matmulCases(): MatmulCase[] {
  const shapes: Array<[string, number[], number[], boolean, boolean]> = [
    ['n = 64', [64, 64], [64, 64], false, false],
    ['n = 256', [256, 256], [256, 256], false, false],
    ['n = 512', [512, 512], [512, 512], false, false],
    ['[64,784] x [784,128] (forward)', [64, 784], [784, 128], false, false],
    ['[784,64] x [64,128] (weight gradient, A read transposed)', [64, 784], [64, 128], true, false],
    ['[64,128] x [128,784] (input gradient, B read transposed)', [64, 128], [784, 128], false, true],
  ];
  return shapes.map(([label, shapeA, shapeB, transposeA, transposeB]) => {
    const a = filled(shapeA, 1);
    const b = filled(shapeB, 2);
    const m = transposeA ? shapeA[1] : shapeA[0];
    const k = transposeA ? shapeA[0] : shapeA[1];
    const n = transposeB ? shapeB[0] : shapeB[1];
    const out = zeros([m, n]);
    const naiveArgs = {
      a: a.data,
      aOffset: 0,
      lda: shapeA[1],
      transposeA,
      b: b.data,
      bOffset: 0,
      ldb: shapeB[1],
      transposeB,
      out: out.data,
      outOffset: 0,
      ldc: n,
      m,
      n,
      k,
      accumulate: false,
    };
    return { label, a, b, options: { transposeA, transposeB, out }, flops: 2 * m * n * k, naiveArgs };
  });
}

function matmulTable(): void {
  const cases = matmulCases();
  // The TypeScript kernels first, before anything instantiates WebAssembly: V8 compiles wasm in
  // background threads, whose CPU time would otherwise be charged to these measurements.
  const previous = useKernels(jsKernels);
  const rows = cases.map(({ label, a, b, options, flops, naiveArgs }) => {
    const blocked = flops / secondsPerCall(() => matmul(a, b, options)) / 1e9;
    const naive = flops / secondsPerCall(() => matmulNaive(naiveArgs), 100, 1) / 1e9;
    return [label, blocked.toFixed(2), naive.toFixed(2), (blocked / naive).toFixed(1)];
  });
  useKernels(previous);
  const active = activeKernels();
  const headers = ['float32 matmul', 'js kernels GFLOP/s', 'naive GFLOP/s', 'speed-up'];
  if (active.name !== 'js') {
    headers.push(`${active.name} GFLOP/s`);
    for (let round = 0; round < 20; round++) for (const { a, b, options } of cases) matmul(a, b, options);
    cases.forEach(({ a, b, options, flops }, index) =>
      rows[index].push((flops / secondsPerCall(() => matmul(a, b, options)) / 1e9).toFixed(2)),
    );
  }
  printTable(headers, rows);
}

function bareAdd(x: Float32Array, y: Float32Array, out: Float32Array): void {
  for (let index = 0; index < out.length; index++) out[index] = x[index] + y[index];
}

function bareRelu(x: Float32Array, out: Float32Array): void {
  for (let index = 0; index < out.length; index++) {
    const value = x[index];
    out[index] = value < 0 ? 0 : value;
  }
}

function elementwiseTable(): void {
  const n = 1 << 20;
  const x = filled([n], 3);
  const y = filled([n], 4);
  const out = zeros([n]);
  // Run the ops on other dtypes first, as a real program would, so V8's feedback in the shared loops is not float32-only.
  for (const dtype of ['float64', 'int32'] as const) {
    const other = zeros([1000], dtype);
    for (let round = 0; round < 200; round++) relu(add(other, other, { out: other }), { out: other });
  }
  const gigabytes = (bytes: number, seconds: number) => (bytes / seconds / 1e9).toFixed(2);
  const addBare = secondsPerCall(() => bareAdd(x.data, y.data, out.data));
  const addOut = secondsPerCall(() => add(x, y, { out }));
  const addAllocating = secondsPerCall(() => add(x, y));
  const reluBare = secondsPerCall(() => bareRelu(x.data, out.data));
  const reluOut = secondsPerCall(() => relu(x, { out }));
  const reluAllocating = secondsPerCall(() => relu(x));
  printTable(
    [
      '1M float32 (bytes read + written)',
      'bare loop GB/s',
      'op with out GB/s',
      'op allocating GB/s',
      'op time / bare time',
    ],
    [
      [
        'add(x, y)',
        gigabytes(12 * n, addBare),
        gigabytes(12 * n, addOut),
        gigabytes(12 * n, addAllocating),
        (addOut / addBare).toFixed(2),
      ],
      [
        'relu(x)',
        gigabytes(8 * n, reluBare),
        gigabytes(8 * n, reluOut),
        gigabytes(8 * n, reluAllocating),
        (reluOut / reluBare).toFixed(2),
      ],
    ],
  );
}

function softmaxTable(): void {
  const logits = filled([256, 10], 5);
  const out = zeros([256, 10]);
  const seconds = secondsPerCall(() => softmax(logits, -1, { out }));
  const allocating = secondsPerCall(() => softmax(logits));
  printTable(
    ['softmax over [256,10] (last axis)', 'µs per call', 'M elements/s'],
    [
      ['with out', (seconds * 1e6).toFixed(1), (2560 / seconds / 1e6).toFixed(1)],
      ['allocating', (allocating * 1e6).toFixed(1), (2560 / allocating / 1e6).toFixed(1)],
    ],
  );
}

console.log(`@annet/tensor benchmark, Node ${process.version}, one thread, CPU time\n`);
matmulTable();
console.log();
elementwiseTable();
console.log();
softmaxTable();
console.log();
layerOpsTable();
