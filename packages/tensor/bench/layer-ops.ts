/**
 * The ops a training step of @annet/layers calls, at the shapes of its benchmark (Dense 784→128
 * and Conv2D 1→8 3x3 on 28x28, batch 64), each with `out`: CPU time per call and JavaScript heap
 * bytes allocated per call in the steady state (after 50 warm-up calls; forced GC before, heap
 * growth over 200 calls, divided by 200). Printed by `pnpm bench` after the op tables.
 */
import { tensor, zeros } from '../src/create.js';
import { useKernels } from '../src/kernels/kernel-selection.js';
import { jsKernels } from '../src/kernels/js-kernels.js';
import { add } from '../src/ops/elementwise-binary.js';
import { gather } from '../src/ops/gather.js';
import { col2im, im2col } from '../src/ops/im2col.js';
import { matmul } from '../src/ops/matmul.js';
import { sum } from '../src/ops/reduce.js';
import { logSoftmax } from '../src/ops/softmax.js';
import type { Tensor } from '../src/tensor.js';
import { cpuSecondsPerCall, printTable } from './timing.js';

function filled(shape: number[], seed: number): Tensor<'float32'> {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return tensor(
    Array.from({ length: size }, (_, index) => Math.sin(seed + index * 0.37)),
    { shape },
  );
}

/**
 * Heap bytes one call allocates once warm: the smallest of three windows of 100 calls, each after
 * a forced GC (needs `node --expose-gc`), so that V8 compiling the code late does not count.
 */
function bytesPerCall(body: () => void): string {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return 'n/a (run node with --expose-gc)';
  for (let call = 0; call < 50; call++) body();
  let best = Infinity;
  for (let window = 0; window < 3; window++) {
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let call = 0; call < 100; call++) body();
    best = Math.min(best, (process.memoryUsage().heapUsed - before) / 100);
  }
  return `${Math.max(0, Math.round(best))}`;
}

/**
 * The table: one row per op.
 *
 * @example
 * layerOpsTable();
 */
export function layerOpsTable(): void {
  const previous = useKernels(jsKernels); // the TypeScript kernels: allocation figures of the ops themselves
  const convolution = { kernelSize: 3 };
  const x = filled([64, 1, 28, 28], 1);
  const columns = zeros([64, 9, 676]);
  const columnGradient = filled([64, 9, 676], 2);
  const inputGradient = zeros([64, 1, 28, 28]);
  const weights = filled([8, 9], 3);
  const convOutput = zeros([64, 8, 676]);
  const convBias = filled([8, 1], 4);
  const convGradient = filled([64, 8, 26, 26], 5);
  const convBiasGradient = zeros([8]);
  const denseInput = filled([64, 784], 6);
  const denseWeights = filled([784, 128], 7);
  const denseOutput = zeros([64, 128]);
  const denseBias = filled([128], 8);
  const denseBiasGradient = zeros([128]);
  const logits = filled([64, 10], 9);
  const logProbabilities = zeros([64, 10]);
  const table = filled([1000, 32], 10);
  const ids = tensor(
    Array.from({ length: 64 * 20 }, (_, index) => (index * 37) % 1000),
    { shape: [64, 20], dtype: 'int32' },
  );
  const rows = zeros([64, 20, 32]);
  // One options object per call site, as a layer holds them.
  const into = (out: Tensor) => ({ out });
  const convOutputOptions = into(convOutput);
  const denseOutputOptions = into(denseOutput);
  const convBiasGradientOptions = into(convBiasGradient);
  const denseBiasGradientOptions = into(denseBiasGradient);
  const logSoftmaxOptions = into(logProbabilities);
  const gatherOptions = into(rows);
  const im2colOptions = { ...convolution, out: columns };
  const col2imOptions = { ...convolution, out: inputGradient };
  const spatialAndBatch = [0, 2, 3];
  const cases: Array<[string, () => void]> = [
    ['add [64,8,676] + [8,1] (conv bias)', () => add(convOutput, convBias, convOutputOptions)],
    ['add [64,128] + [128] (dense bias)', () => add(denseOutput, denseBias, denseOutputOptions)],
    [
      'sum [64,8,26,26] over 0,2,3 (conv bias gradient)',
      () => sum(convGradient, spatialAndBatch, false, convBiasGradientOptions),
    ],
    ['sum [64,128] over 0 (dense bias gradient)', () => sum(denseOutput, 0, false, denseBiasGradientOptions)],
    ['matmul [8,9] x [64,9,676] (conv forward, batched)', () => matmul(weights, columns, convOutputOptions)],
    ['matmul [64,784] x [784,128] (dense forward)', () => matmul(denseInput, denseWeights, denseOutputOptions)],
    ['im2col [64,1,28,28], 3x3', () => im2col(x, im2colOptions)],
    ['col2im to [64,1,28,28], 3x3', () => col2im(columnGradient, x.shape, col2imOptions)],
    ['logSoftmax [64,10]', () => logSoftmax(logits, -1, logSoftmaxOptions)],
    ['gather [1000,32] at [64,20] (embedding)', () => gather(table, ids, 0, gatherOptions)],
  ];
  printTable(
    ['op with out (js kernels)', 'µs per call (CPU)', 'heap bytes per call'],
    cases.map(([name, body]) => [name, (cpuSecondsPerCall(body) * 1e6).toFixed(1), bytesPerCall(body)]),
  );
  useKernels(previous);
}
