/**
 * Bytes allocated per steady-state training step (forward + backward, and the loss for the MLP),
 * for Dense, Conv2D, BatchNorm, Embedding and a 784-128-64-10 MLP with softmax cross-entropy.
 * Run with `pnpm bench:allocation` (compiles with tsconfig.bench.json, then runs node with
 * --expose-gc and a 64 MiB young generation).
 *
 * Method. Each case first runs 300 steps, so buffers exist and V8 has compiled the hot code
 * (compiling allocates code objects on the heap). Then, seven times: force a full collection,
 * read `process.memoryUsage()` (`heapUsed`: the JavaScript heap; `arrayBuffers`: typed-array
 * backing stores), run `steps` steps, read it again. A window during which any collection ran
 * (seen by a `gc` PerformanceObserver) is discarded and retried with half the steps, because a
 * collection frees memory and would hide allocations. With no collection, heapUsed only grows by
 * what was allocated, so (after − before) / steps is the allocation per step. The table gives the
 * median window and the smallest one. The first row times an empty step: what the method itself
 * reads as allocation (the `memoryUsage()` result object, spread over the window's steps).
 */
import { activeKernels, createRng, randomNormal, randomUniform, tensor, zeros, type Tensor } from '@annet/tensor';
import { PerformanceObserver } from 'node:perf_hooks';
import {
  AvgPool2D,
  BatchNorm,
  Bidirectional,
  Conv2D,
  Dense,
  Dropout,
  Embedding,
  Flatten,
  GRU,
  LayerNorm,
  LSTM,
  MaxPool2D,
  ReLU,
  Softmax,
  softmaxCrossEntropy,
  type BaseLayer,
} from '../src/index.js';

interface Case {
  readonly name: string;
  /** One training step; returns nothing, all outputs live in reused buffers. */
  readonly step: () => void;
}

const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error('run with node --expose-gc (pnpm bench:allocation does)');
let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/** One options object for every forward call, as a training loop would hold it. */
const training = { training: true } as const;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** forward through `layers`, then backward from `outputGradient`. */
function layerStep(layers: readonly BaseLayer[], input: Tensor, outputGradient: Tensor): () => void {
  return () => {
    let activation = input;
    for (let index = 0; index < layers.length; index++) activation = layers[index].forward(activation, training);
    let gradient = outputGradient;
    for (let index = layers.length - 1; index >= 0; index--) gradient = layers[index].backward(gradient);
  };
}

function layerCase(name: string, layers: readonly BaseLayer[], input: Tensor): Case {
  let shape = input.shape.slice();
  for (const layer of layers) shape = layer.outputShape(shape);
  return { name, step: layerStep(layers, input, randomNormal(shape, createRng(2))) };
}

function mlpCase(): Case {
  const rng = createRng(3);
  const layers = [
    new Dense(784, 128, { rng, activationHint: 'relu' }),
    new ReLU(),
    new Dense(128, 64, { rng, activationHint: 'relu' }),
    new ReLU(),
    new Dense(64, 10, { rng }),
  ];
  const input = randomUniform([64, 784], rng);
  const labels = tensor(
    Array.from({ length: 64 }, (_, row) => row % 10),
    { dtype: 'int32' },
  );
  const lossGradient = zeros([64, 10]);
  const lossOptions = { out: lossGradient };
  return {
    name: 'MLP 784-128-64-10 + softmax cross-entropy, batch 64',
    step: () => {
      let activation: Tensor = input;
      for (let index = 0; index < layers.length; index++) activation = layers[index].forward(activation, training);
      softmaxCrossEntropy(activation, labels, lossOptions);
      let gradient: Tensor = lossGradient;
      for (let index = layers.length - 1; index >= 0; index--) gradient = layers[index].backward(gradient);
    },
  };
}

/** Heap and typed-array bytes allocated by `steps` steps, or null when a collection ran meanwhile. */
async function window(benchCase: Case, steps: number): Promise<[number, number] | null> {
  collect!();
  await settle();
  const collectionsBefore = collections;
  const before = process.memoryUsage();
  for (let index = 0; index < steps; index++) benchCase.step();
  const after = process.memoryUsage();
  await settle();
  if (collections !== collectionsBefore) return null;
  return [(after.heapUsed - before.heapUsed) / steps, (after.arrayBuffers - before.arrayBuffers) / steps];
}

async function measure(benchCase: Case): Promise<string[]> {
  for (let index = 0; index < 300; index++) benchCase.step();
  const heap: number[] = [];
  const arrays: number[] = [];
  let steps = 100;
  for (let attempt = 0; heap.length < 7 && attempt < 40; attempt++) {
    const result = await window(benchCase, steps);
    if (result === null) {
      steps = Math.max(1, Math.floor(steps / 2));
      continue;
    }
    heap.push(result[0]);
    arrays.push(result[1]);
  }
  if (heap.length === 0) return [benchCase.name, 'n/a (GC in every window)', '', '', ''];
  const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return [
    benchCase.name,
    `${steps}`,
    `${Math.round(median(heap))}`,
    `${Math.round(Math.min(...heap))}`,
    `${Math.round(median(arrays))}`,
  ];
}

const rng = createRng(1);
const cases: Case[] = [
  { name: "empty step (the method's floor)", step: () => {} },
  layerCase('Dense 784→128, batch 64', [new Dense(784, 128, { rng })], randomNormal([64, 784], rng)),
  layerCase('Conv2D 1→8, 3x3, 28x28, batch 64', [new Conv2D(1, 8, 3, { rng })], randomNormal([64, 1, 28, 28], rng)),
  layerCase('BatchNorm 16 channels, [64, 16, 12, 12]', [new BatchNorm(16)], randomNormal([64, 16, 12, 12], rng)),
  layerCase(
    'Embedding 1000×32, indices [64, 20]',
    [new Embedding(1000, 32, { rng })],
    tensor(
      Array.from({ length: 64 * 20 }, (_, index) => (index * 37) % 1000),
      { shape: [64, 20], dtype: 'int32' },
    ),
  ),
  mlpCase(),
  layerCase(
    'CNN: Conv2D 1→8 same, ReLU, MaxPool2D 2, Flatten, Dropout 0.5, Dense 1568→10, Softmax, batch 64',
    [
      new Conv2D(1, 8, 3, { padding: 'same', rng }),
      new ReLU(),
      new MaxPool2D(2),
      new Flatten(),
      new Dropout(0.5, { seed: 1 }),
      new Dense(1568, 10, { rng }),
      new Softmax(),
    ],
    randomNormal([64, 1, 28, 28], rng),
  ),
  layerCase('LayerNorm 128, [64, 128]', [new LayerNorm(128)], randomNormal([64, 128], rng)),
  layerCase('AvgPool2D 2, [64, 8, 28, 28]', [new AvgPool2D(2)], randomNormal([64, 8, 28, 28], rng)),
  layerCase(
    'LSTM 32→32, every step, [8, 16, 32]',
    [new LSTM(32, 32, { returnSequences: true, rng })],
    randomNormal([8, 16, 32], rng),
  ),
  layerCase(
    'Embedding maskZero + Bidirectional GRU 16→16, [8, 16] indices',
    [
      new Embedding(50, 16, { maskZero: true, rng }),
      new Bidirectional(new GRU(16, 16, { returnSequences: true }), { rng }),
    ],
    tensor(
      Array.from({ length: 8 * 16 }, (_, index) => (index % 16 < 4 + (index >> 4) ? (index * 7) % 50 : 0)),
      { shape: [8, 16], dtype: 'int32' },
    ),
  ),
];

const header = [
  'case (float32, training)',
  'steps/window',
  'JS heap bytes/step (median)',
  'JS heap bytes/step (min)',
  'typed-array bytes/step',
];
const rows: string[][] = [];
for (const benchCase of cases) rows.push(await measure(benchCase));
console.log(
  `@annet/layers allocation per steady-state step, kernels: ${activeKernels().name}, node ${process.version}`,
);
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
