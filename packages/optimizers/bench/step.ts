/**
 * Milliseconds per `step` over 1M float32 parameters for every optimizer, and the bytes the heap
 * grows by per step once every parameter has state (targets: SGD <= 1 ms, Adam <= 3 ms, 0 bytes).
 * Run with `pnpm bench` (node --expose-gc, so the heap can be measured from a clean start).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Parameter } from '@annet/layer-api';
import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, RAdam, RMSprop, SGD, cosineSchedule,
  type Optimizer,
} from '../src/index.js';

const size = 1_000_000;

function model(total: number, parts: number): Parameter[] {
  const perPart = total / parts;
  return Array.from({ length: parts }, (_, part) => {
    const value = new Float32Array(perPart);
    const grad = new Float32Array(perPart);
    for (let i = 0; i < perPart; i++) {
      value[i] = Math.sin(i + part) * 0.1;
      grad[i] = Math.cos(i * 0.37 + part) * 0.01;
    }
    return { name: `layer_${part}.weights`, shape: [perPart], value, grad };
  });
}

let collections = 0;
new PerformanceObserver((list) => { collections += list.getEntries().length; }).observe({ entryTypes: ['gc'] });

/** Median milliseconds per step over 7 rounds of 20 steps, after 30 warm-up steps. */
function millisecondsPerStep(create: () => Optimizer<never>, parts: number): number {
  const parameters = model(size, parts);
  const optimizer = create();
  for (let step = 0; step < 30; step++) optimizer.step(parameters); // state allocation and JIT warm-up
  const timings: number[] = [];
  for (let round = 0; round < 7; round++) {
    const start = performance.now();
    for (let step = 0; step < 20; step++) optimizer.step(parameters);
    timings.push((performance.now() - start) / 20);
  }
  timings.sort((a, b) => a - b);
  return timings[3];
}

/**
 * Heap growth per step once every parameter has state: the smallest of five windows of 1,000 steps
 * of a small model (10 tensors of 1,000), so per-step allocations add up while one-off JIT work
 * in any single window does not count.
 */
function bytesPerStep(create: () => Optimizer<never>): { bytes: number; collections: number } {
  const parameters = model(10_000, 10);
  const optimizer = create();
  for (let step = 0; step < 2000; step++) optimizer.step(parameters);
  let bytes = Number.POSITIVE_INFINITY;
  let collectionsSeen = 0;
  for (let window = 0; window < 5; window++) {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    const collectionsBefore = collections;
    for (let step = 0; step < 1000; step++) optimizer.step(parameters);
    bytes = Math.min(bytes, (process.memoryUsage().heapUsed - before) / 1000);
    collectionsSeen += collections - collectionsBefore;
  }
  return { bytes, collections: collectionsSeen };
}

/**
 * Bare loops with no library around them, timed the same way: what this machine does at the
 * moment for the same arithmetic, so the table reads fairly on a busy machine.
 */
function bareLoop(kind: 'sgd' | 'adam'): () => Optimizer<never> {
  return () => {
    let state: Float32Array[] = [];
    let step = 0;
    const optimizer = {
      step(parameters: readonly Parameter[]): void {
        step += 1;
        if (state.length === 0) state = parameters.flatMap((parameter) => [new Float32Array(parameter.value.length), new Float32Array(parameter.value.length)]);
        parameters.forEach((parameter, index) => {
          const value = parameter.value;
          const gradient = parameter.grad;
          if (kind === 'sgd') {
            for (let i = 0; i < value.length; i++) value[i] -= 1e-3 * gradient[i];
            return;
          }
          const m = state[2 * index];
          const v = state[2 * index + 1];
          const stepSize = 1e-3 / (1 - 0.9 ** step);
          const inverse = 1 / Math.sqrt(1 - 0.999 ** step);
          for (let i = 0; i < value.length; i++) {
            const g = gradient[i];
            const first = 0.9 * m[i] + 0.1 * g;
            m[i] = first;
            const second = 0.999 * v[i] + 0.001 * g * g;
            v[i] = second;
            value[i] -= stepSize * first / (Math.sqrt(second) * inverse + 1e-8);
          }
        });
      },
    };
    return optimizer as unknown as Optimizer<never>;
  };
}

const cases: Array<[string, () => Optimizer<never>]> = [
  ['(bare JS loop: θ −= γg)', bareLoop('sgd')],
  ['(bare JS loop: Adam, float32 state)', bareLoop('adam')],
  ['SGD', () => new SGD({ learningRate: 1e-3 }) as never],
  ['SGD momentum 0.9', () => new SGD({ learningRate: 1e-3, momentum: 0.9 }) as never],
  ['SGD momentum 0.9, nesterov', () => new SGD({ learningRate: 1e-3, momentum: 0.9, nesterov: true }) as never],
  ['Adam', () => new Adam() as never],
  ['Adam amsgrad', () => new Adam({ amsgrad: true }) as never],
  ['AdamW', () => new AdamW() as never],
  ['AdamW + cosine schedule', () => new AdamW({ learningRate: cosineSchedule({ initialLearningRate: 1e-3, totalSteps: 1000, warmupSteps: 10 }) }) as never],
  ['RMSprop', () => new RMSprop() as never],
  ['RMSprop centered, momentum', () => new RMSprop({ centered: true, momentum: 0.9 }) as never],
  ['Adagrad', () => new Adagrad() as never],
  ['Adadelta', () => new Adadelta() as never],
  ['Adamax', () => new Adamax() as never],
  ['NAdam', () => new NAdam() as never],
  ['RAdam', () => new RAdam() as never],
  ['Lion', () => new Lion() as never],
];

console.log(`node ${process.version}, ${size.toLocaleString('en')} float32 parameters; median of 7 rounds of 20 steps\n`);
console.log('| optimizer | 1 tensor of 1M: ms/step | 100 tensors of 10k: ms/step | heap bytes/step after warm-up | GCs in 5,000 steps |');
console.log('| --- | ---: | ---: | ---: | ---: |');
// Allocation is measured twice and the second pass reported: the first includes the JIT compiling
// (and recompiling, as more optimizers share the step code) the library's functions.
const optimizerCases = cases.filter(([name]) => !name.startsWith('('));
for (const [, create] of optimizerCases) bytesPerStep(create);
const allocations = new Map(optimizerCases.map(([name, create]) => [name, bytesPerStep(create)]));
for (const [name, create] of cases) {
  const allocation = allocations.get(name);
  const bytes = allocation === undefined ? 'n/a' : allocation.bytes.toFixed(1);
  console.log(`| ${name} | ${millisecondsPerStep(create, 1).toFixed(2)} | ${millisecondsPerStep(create, 100).toFixed(2)} | ${bytes} | ${allocation?.collections ?? 'n/a'} |`);
}
