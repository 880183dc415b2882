/**
 * Forward + backward time per batch and bytes allocated per step, for the layers the issue
 * names. Run with `pnpm bench` (compiles with tsconfig.bench.json, then runs node with
 * --expose-gc and a large young generation so no collection hides allocations mid-window).
 *
 * "typed-array bytes" are new backing stores (output, gradient and scratch buffers): 0 once the
 * buffers exist. "JS heap bytes" are small objects (see bench/allocation.ts for a careful
 * per-layer measurement; with the WebAssembly kernels most of what remains is their per-product
 * bookkeeping).
 */
import { activeKernels, createRng, randomNormal, type Tensor } from '@annet/tensor';
import { PerformanceObserver } from 'node:perf_hooks';
import { Conv2D, Dense, MaxPool2D, ReLU, type BaseLayer } from '../src/index.js';

interface Case {
  readonly name: string;
  readonly layers: readonly BaseLayer[];
  readonly inputShape: readonly number[];
}

const collect = (globalThis as { gc?: () => void }).gc;
let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/** One options object for every forward call, as a training loop holds it. */
const training = { training: true } as const;

function step(layers: readonly BaseLayer[], input: Tensor, outputGradient: Tensor): void {
  let activation = input;
  for (let index = 0; index < layers.length; index++) activation = layers[index].forward(activation, training);
  let gradient = outputGradient;
  for (let index = layers.length - 1; index >= 0; index--) gradient = layers[index].backward(gradient);
}

/** [JavaScript heap, typed-array backing stores] in use; differences over a window with no GC are allocations. */
function usedBytes(): [number, number] {
  const usage = process.memoryUsage();
  return [usage.heapUsed, usage.arrayBuffers];
}

async function measure(benchCase: Case): Promise<string[]> {
  const rng = createRng(1);
  const input = randomNormal(benchCase.inputShape, rng);
  let shape = benchCase.inputShape.slice();
  for (const layer of benchCase.layers) shape = layer.outputShape(shape);
  const outputGradient = randomNormal(shape, rng);
  collect?.();
  const [heapBeforeFirst, arraysBeforeFirst] = usedBytes();
  step(benchCase.layers, input, outputGradient);
  const [heapAfterFirst, arraysAfterFirst] = usedBytes();
  const firstStep = heapAfterFirst - heapBeforeFirst + arraysAfterFirst - arraysBeforeFirst;
  for (let warmup = 0; warmup < 20; warmup++) step(benchCase.layers, input, outputGradient);
  const times: number[] = [];
  for (let repeat = 0; repeat < 30; repeat++) {
    const start = performance.now();
    step(benchCase.layers, input, outputGradient);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const steps = 10;
  collect?.();
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the observer see the forced collection
  const collectionsBefore = collections;
  const [heapBefore, arraysBefore] = usedBytes();
  for (let repeat = 0; repeat < steps; repeat++) step(benchCase.layers, input, outputGradient);
  const [heapAfter, arraysAfter] = usedBytes();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const clean = collections === collectionsBefore;
  const perStep = (before: number, after: number) =>
    clean ? `${Math.round((after - before) / steps)}` : 'n/a (GC ran)';
  return [
    benchCase.name,
    times[Math.floor(times.length / 2)].toFixed(3),
    times[0].toFixed(3),
    `${firstStep}`,
    perStep(arraysBefore, arraysAfter),
    perStep(heapBefore, heapAfter),
  ];
}

const cases: Case[] = [
  { name: 'Dense 784→128, batch 64', layers: [new Dense(784, 128)], inputShape: [64, 784] },
  { name: 'Dense 784→128, batch 256', layers: [new Dense(784, 128)], inputShape: [256, 784] },
  { name: 'Conv2D 1→8, 3x3, 28x28, batch 64', layers: [new Conv2D(1, 8, 3)], inputShape: [64, 1, 28, 28] },
  {
    name: 'MLP 784-128-ReLU-10, batch 64',
    layers: [new Dense(784, 128), new ReLU(), new Dense(128, 10)],
    inputShape: [64, 784],
  },
  {
    name: 'Conv2D 1→8 same + ReLU + MaxPool2D 2, batch 64',
    layers: [new Conv2D(1, 8, 3, { padding: 'same' }), new ReLU(), new MaxPool2D(2)],
    inputShape: [64, 1, 28, 28],
  },
];

const header = [
  'case (float32)',
  'median ms/step',
  'best ms/step',
  'bytes, first step',
  'typed-array bytes/step after',
  'JS heap bytes/step after',
];
const rows: string[][] = [];
for (const benchCase of cases) rows.push(await measure(benchCase));
console.log(
  `@annet/layers forward+backward, kernels: ${activeKernels().name}, node ${process.version}${collect ? '' : ' (run with --expose-gc for exact allocation figures)'}`,
);
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
