/**
 * `pnpm bench`: throughput of the TypeScript kernels and ops on one thread. Imports op files
 * directly (not the package index) so it compiles on its own. Figures drift from run to run on
 * a shared machine; compare numbers from one run.
 */
import { tensor, zeros } from '../src/create.js';
import { activeKernels, useKernels } from '../src/kernels/backend.js';
import { jsKernels } from '../src/kernels/js-kernels.js';
import { matmulNaive } from '../src/kernels/matmul-naive.js';
import { add } from '../src/ops/elementwise-binary.js';
import { matmul } from '../src/ops/matmul.js';
import { softmax } from '../src/ops/softmax.js';
import { relu } from '../src/ops/unary.js';
import type { Tensor } from '../src/tensor.js';
import { printTable, secondsPerCall } from './timing.js';

function filled(shape: number[], seed: number): Tensor<'float32'> {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(new Float32Array(size).map((_, index) => Math.sin(index * 12.9898 + seed)), { shape }) as Tensor<'float32'>;
}

function matmulTable(): void {
  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ['n = 64', [64, 64], [64, 64], false, false],
    ['n = 256', [256, 256], [256, 256], false, false],
    ['n = 512', [512, 512], [512, 512], false, false],
    ['[64,784] x [784,128] (forward)', [64, 784], [784, 128], false, false],
    ['[784,64] x [64,128] (weight gradient, A read transposed)', [64, 784], [64, 128], true, false],
    ['[64,128] x [128,784] (input gradient, B read transposed)', [64, 128], [784, 128], false, true],
  ];
  const active = activeKernels();
  const rows = cases.map(([label, shapeA, shapeB, transposeA, transposeB]) => {
    const a = filled(shapeA, 1);
    const b = filled(shapeB, 2);
    const m = transposeA ? shapeA[1] : shapeA[0];
    const k = transposeA ? shapeA[0] : shapeA[1];
    const n = transposeB ? shapeB[0] : shapeB[1];
    const out = zeros([m, n]);
    const flops = 2 * m * n * k;
    const options = { transposeA, transposeB, out };
    const previous = useKernels(jsKernels);
    const blocked = flops / secondsPerCall(() => matmul(a, b, options)) / 1e9;
    useKernels(previous);
    const naiveArgs = { a: a.data, aOffset: 0, lda: shapeA[1], transposeA, b: b.data, bOffset: 0, ldb: shapeB[1], transposeB, out: out.data, outOffset: 0, ldc: n, m, n, k, accumulate: false };
    const naive = flops / secondsPerCall(() => matmulNaive(naiveArgs), 100, 1) / 1e9;
    const row = [label, blocked.toFixed(2), naive.toFixed(2), (blocked / naive).toFixed(1)];
    if (active.name !== 'js') row.push((flops / secondsPerCall(() => matmul(a, b, options)) / 1e9).toFixed(2));
    return row;
  });
  const headers = ['float32 matmul', 'js kernels GFLOP/s', 'naive GFLOP/s', 'speed-up'];
  if (active.name !== 'js') headers.push(`${active.name} GFLOP/s`);
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
  printTable(['1M float32 (bytes read + written)', 'bare loop GB/s', 'op with out GB/s', 'op allocating GB/s', 'bare / op with out'], [
    ['add(x, y)', gigabytes(12 * n, addBare), gigabytes(12 * n, addOut), gigabytes(12 * n, addAllocating), (addOut / addBare).toFixed(2)],
    ['relu(x)', gigabytes(8 * n, reluBare), gigabytes(8 * n, reluOut), gigabytes(8 * n, reluAllocating), (reluOut / reluBare).toFixed(2)],
  ]);
}

function softmaxTable(): void {
  const logits = filled([256, 10], 5);
  const out = zeros([256, 10]);
  const seconds = secondsPerCall(() => softmax(logits, -1, { out }));
  const allocating = secondsPerCall(() => softmax(logits));
  printTable(['softmax over [256,10] (last axis)', 'µs per call', 'M elements/s'], [
    ['with out', (seconds * 1e6).toFixed(1), (2560 / seconds / 1e6).toFixed(1)],
    ['allocating', (allocating * 1e6).toFixed(1), (2560 / allocating / 1e6).toFixed(1)],
  ]);
}

console.log(`@annet/tensor benchmark, Node ${process.version}, one thread, active kernels: ${activeKernels().name}\n`);
matmulTable();
console.log();
elementwiseTable();
console.log();
softmaxTable();
