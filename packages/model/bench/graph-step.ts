/**
 * The graph engine's per-step overhead: one training step (forward, softmax cross-entropy, backward,
 * Adam) of the same MLP 784-256-128-10 at batch 64, as a `Sequential` and as a graph `Model`,
 * through the calls `fit` makes (`forwardArrays`, the objective, `backwardArrays`, `optimizer.step`).
 * Target: the graph within 2 % of Sequential, and no heap growth per step after the first.
 * Run with `pnpm bench` (node --expose-gc).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { createRng, Tensor } from '@annet/tensor';
import { apply } from '../src/graph/apply.js';
import { Model } from '../src/graph/model.js';
import { input } from '../src/graph/symbolic-tensor.js';
import { Sequential } from '../src/sequential/sequential.js';
import { Objective } from '../src/training/objective.js';
import type { TrainableModel } from '../src/training/training-model.js';

const batch = 64;
const rng = createRng(1);
const images = new Tensor(
  Float32Array.from({ length: batch * 784 }, () => rng.uniform(0, 1)),
  [batch, 784],
);
const labels = new Tensor(
  Int32Array.from({ length: batch }, (_, row) => row % 10),
  [batch],
);

function sequential(): TrainableModel {
  return new Sequential(
    [new Dense(784, 256, { activation: 'relu' }), new Dense(256, 128), new ReLU(), new Dense(128, 10)],
    { inputShape: [784] },
  ).initialize(3);
}

function graph(): TrainableModel {
  const x = input({ name: 'input', shape: [784] });
  const hidden = apply(new ReLU(), apply(new Dense(256, 128), apply(new Dense(784, 256, { activation: 'relu' }), x)));
  return new Model({ inputs: x, outputs: apply(new Dense(128, 10), hidden) }).initialize(3);
}

interface Trainer {
  readonly name: string;
  step(): void;
}

function trainer(name: string, model: TrainableModel): Trainer {
  const optimizer = new Adam({ learningRate: 1e-3 });
  const objective = new Objective(model.outputNames, { loss: 'softmaxCrossEntropy' }, 'bench');
  const inputs = [images];
  const targets = [labels];
  return {
    name,
    step() {
      const predictions = model.forwardArrays(inputs, true);
      objective.compute(predictions, targets);
      model.backwardArrays(objective.gradients);
      optimizer.step(model);
    },
  };
}

/** CPU milliseconds of one round of 20 steps. */
function round(run: Trainer): number {
  const start = process.cpuUsage();
  for (let step = 0; step < 20; step++) run.step();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / 20;
}

/** Heap growth per step: the smallest of eight windows of 200 steps after warm-up (one-off JIT work lands in some windows, per-step garbage in all). */
function bytesPerStep(run: Trainer): number {
  let bytes = Number.POSITIVE_INFINITY;
  for (let window = 0; window < 8; window++) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    for (let step = 0; step < 200; step++) run.step();
    bytes = Math.min(bytes, (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before) / 200);
  }
  return bytes;
}

const runs = [trainer('Sequential', sequential()), trainer('graph Model', graph())];
for (const run of runs) for (let step = 0; step < 30; step++) run.step();
// Interleaved rounds, so a neighbour's burst of load hits both models alike; the fastest round is what the code costs.
const times = runs.map(() => [] as number[]);
for (let repeat = 0; repeat < 30; repeat++) {
  // Alternate which model goes first, so neither always runs just after a collection of the other's garbage.
  const order = repeat % 2 === 0 ? [0, 1] : [1, 0];
  for (const index of order) times[index].push(round(runs[index]));
}
const best = times.map((list) => Math.min(...list));
const median = times.map((list) => list.slice().sort((a, b) => a - b)[Math.floor(list.length / 2)]);
console.log(
  `graph engine overhead: MLP 784-256-128-10, batch ${batch}, Adam, one training step (load average ${loadavg()[0].toFixed(2)})`,
);
runs.forEach((run, index) =>
  console.log(
    `  ${run.name.padEnd(12)} ${best[index].toFixed(3)} ms/step (fastest round), ${median[index].toFixed(3)} ms median, ${bytesPerStep(run).toFixed(1)} heap bytes/step`,
  ),
);
const overhead = (best[1] / best[0] - 1) * 100;
console.log(`  graph vs Sequential: ${overhead >= 0 ? '+' : ''}${overhead.toFixed(2)} % (target: within 2 %)`);
