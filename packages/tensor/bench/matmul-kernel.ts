import { matmulBlocked } from '../src/kernels/matmul-blocked.js';
import { matmulNaive } from '../src/kernels/matmul-naive.js';
import { printTable, secondsPerCall } from './timing.js';

const cases: Array<[string, number, number, number, boolean, boolean]> = [
  ['n=64', 64, 64, 64, false, false],
  ['n=256', 256, 256, 256, false, false],
  ['n=512', 512, 512, 512, false, false],
  ['[64,784]x[784,128]', 64, 128, 784, false, false],
  ['[784,64]x[64,128] (A^T)', 784, 128, 64, true, false],
  ['[64,128]x[128,784] (B^T)', 64, 784, 128, false, true],
];
const rows: string[][] = [];
for (const [label, m, n, k, transposeA, transposeB] of cases) {
  const a = new Float32Array(m * k).map((_, index) => ((index * 7) % 11) - 5);
  const b = new Float32Array(k * n).map((_, index) => ((index * 3) % 5) - 2);
  const out = new Float32Array(m * n);
  const args = { a, aOffset: 0, lda: transposeA ? m : k, transposeA, b, bOffset: 0, ldb: transposeB ? k : n, transposeB, out, outOffset: 0, ldc: n, m, n, k, accumulate: false };
  const flops = 2 * m * n * k;
  const blocked = flops / secondsPerCall(() => matmulBlocked(args)) / 1e9;
  const naive = process.argv.includes('--naive') ? (flops / secondsPerCall(() => matmulNaive(args), 100, 1) / 1e9).toFixed(2) : '';
  rows.push([label, blocked.toFixed(2), naive]);
}
printTable(['float32 matmul', 'blocked GFLOP/s', 'naive GFLOP/s'], rows);
