/**
 * Milliseconds per `step` over 1M float32 parameters for every optimizer, and the bytes the heap
 * grows by per step once every parameter has state (targets: SGD <= 1 ms, Adam <= 3 ms, 0 bytes).
 * Run with `pnpm bench` (node --expose-gc, so the heap can be measured from a clean start).
 */
import { loadavg } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import type { Parameter } from '@annet/layer-api';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  Lion,
  NAdam,
  RAdam,
  RMSprop,
  SGD,
  cosineSchedule,
  type Optimizer,
} from '../src/index.js';
import { testMemory } from '../src/testing/resident-memory.js';

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

/** The MLP 784-128-64-10's parameter shapes: 109,386 parameters in six tensors. */
const mlpShapes = [[784, 128], [128], [128, 64], [64], [64, 10], [10]];

/** Float32 parameters of these shapes in one shared WebAssembly memory (`memory` set), as resident tensors are. */
function residentModel(shapes: readonly number[][]): Parameter[] {
  const total = shapes.reduce((sum, shape) => sum + shape.reduce((product, dimension) => product * dimension, 1), 0);
  const memory = testMemory({ pages: Math.ceil((total * 4 * 5 + 65536) / 65536) });
  return shapes.map((shape, part) => {
    const length = shape.reduce((product, dimension) => product * dimension, 1);
    const values = Array.from({ length }, (_, i) => Math.sin(i + part) * 0.1);
    const parameter = memory.parameter(`layer_${part}.weights`, shape, values);
    for (let i = 0; i < length; i++) parameter.grad[i] = Math.cos(i * 0.37 + part) * 0.01;
    return parameter;
  });
}

/** The same shapes as ordinary arrays (the TypeScript updates). */
function ordinaryModel(shapes: readonly number[][]): Parameter[] {
  return residentModel(shapes).map(({ name, shape, value, grad }) => ({
    name,
    shape,
    value: value.slice(),
    grad: grad.slice(),
  }));
}

let collections = 0;
new PerformanceObserver((list) => {
  collections += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/**
 * Milliseconds per step over 9 rounds of 20 steps, after 30 warm-up steps: the fastest round's CPU
 * time (what the code costs when neighbours disturb it least; on a shared machine a median measures
 * them as much as the code) and the median round's wall-clock time.
 */
function millisecondsPerStep(
  create: () => Optimizer<never>,
  parts: number | (() => Parameter[]),
): { wall: number; cpu: number } {
  const parameters = typeof parts === 'number' ? model(size, parts) : parts();
  const optimizer = create();
  for (let step = 0; step < 30; step++) optimizer.step(parameters); // state allocation and JIT warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < 9; round++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    for (let step = 0; step < 20; step++) optimizer.step(parameters);
    const usedCpu = process.cpuUsage(startCpu);
    wall.push((performance.now() - start) / 20);
    cpu.push((usedCpu.user + usedCpu.system) / 1000 / 20);
  }
  return { wall: wall.sort((a, b) => a - b)[4], cpu: Math.min(...cpu) };
}

/**
 * Heap growth per step once every parameter has state: the smallest of five windows of 1,000 steps
 * of a small model (10 tensors of 1,000), so per-step allocations add up while one-off JIT work
 * in any single window does not count.
 */
function bytesPerStep(create: () => Optimizer<never>, resident = false): { bytes: number; collections: number } {
  const parameters = resident ? residentModel(Array.from({ length: 10 }, () => [1000])) : model(10_000, 10);
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

/** θ −= γg over float32 arrays only, at module level (so its feedback stays monomorphic). */
function bareSgd(value: Float32Array, gradient: Float32Array): void {
  for (let i = 0; i < value.length; i++) value[i] -= 1e-3 * gradient[i];
}

/** Adam's arithmetic over float32 arrays only. */
function bareAdam(value: Float32Array, gradient: Float32Array, m: Float32Array, v: Float32Array, step: number): void {
  const stepSize = 1e-3 / (1 - 0.9 ** step);
  const inverse = 1 / Math.sqrt(1 - 0.999 ** step);
  for (let i = 0; i < value.length; i++) {
    const g = gradient[i];
    const first = 0.9 * m[i] + 0.1 * g;
    m[i] = first;
    const second = 0.999 * v[i] + 0.001 * g * g;
    v[i] = second;
    value[i] -= (stepSize * first) / (Math.sqrt(second) * inverse + 1e-8);
  }
}

/**
 * Only the square root and the division Adam needs per element, with none of its memory traffic:
 * the floor for any scalar JavaScript Adam, since V8 emits one `vsqrtsd` and one `vdivsd` per
 * element and has no float32 or SIMD forms of them.
 */
function squareRootAndDivision(value: Float32Array, gradient: Float32Array): void {
  for (let i = 0; i < value.length; i++) value[i] = 1 / (Math.sqrt(gradient[i] + 1) + 1e-8);
}

/**
 * Bare loops with no library around them, timed the same way: what this machine does at the
 * moment for the same arithmetic, so the table reads fairly on a busy machine.
 */
function bareLoop(kind: 'sgd' | 'adam' | 'floor'): () => Optimizer<never> {
  return () => {
    const state = new Map<Parameter, Float32Array[]>();
    let step = 0;
    const optimizer = {
      step(parameters: readonly Parameter[]): void {
        step += 1;
        for (const parameter of parameters) {
          const value = parameter.value as Float32Array;
          const gradient = parameter.grad as Float32Array;
          if (kind === 'sgd') bareSgd(value, gradient);
          else if (kind === 'floor') squareRootAndDivision(value, gradient);
          else {
            let moments = state.get(parameter);
            if (moments === undefined) {
              moments = [new Float32Array(value.length), new Float32Array(value.length)];
              state.set(parameter, moments);
            }
            bareAdam(value, gradient, moments[0], moments[1], step);
          }
        }
      },
    };
    return optimizer as unknown as Optimizer<never>;
  };
}

const cases: Array<[string, () => Optimizer<never>]> = [
  ['(bare JS loop: θ −= γg)', bareLoop('sgd')],
  ['(bare JS loop: Adam, float32 state)', bareLoop('adam')],
  ['(floor: one √ and one ÷ per element, no state)', bareLoop('floor')],
  ['SGD', () => new SGD({ learningRate: 1e-3 }) as never],
  ['SGD momentum 0.9', () => new SGD({ learningRate: 1e-3, momentum: 0.9 }) as never],
  ['SGD momentum 0.9, nesterov', () => new SGD({ learningRate: 1e-3, momentum: 0.9, nesterov: true }) as never],
  ['Adam', () => new Adam() as never],
  ['Adam amsgrad', () => new Adam({ amsgrad: true }) as never],
  ['AdamW', () => new AdamW() as never],
  [
    'AdamW + cosine schedule',
    () =>
      new AdamW({
        learningRate: cosineSchedule({ initialLearningRate: 1e-3, totalSteps: 1000, warmupSteps: 10 }),
      }) as never,
  ],
  ['RMSprop', () => new RMSprop() as never],
  ['RMSprop centered, momentum', () => new RMSprop({ centered: true, momentum: 0.9 }) as never],
  ['Adagrad', () => new Adagrad() as never],
  ['Adadelta', () => new Adadelta() as never],
  ['Adamax', () => new Adamax() as never],
  ['NAdam', () => new NAdam() as never],
  ['RAdam', () => new RAdam() as never],
  ['Lion', () => new Lion() as never],
];

const load = (): string =>
  loadavg()
    .map((average) => average.toFixed(2))
    .join(', ');
console.log(
  `node ${process.version}, ${size.toLocaleString('en')} float32 parameters; 9 rounds of 20 steps; load average ${load()}`,
);
console.log(
  "best CPU ms: the fastest round's process CPU time per step; wall ms: the median round's wall-clock time per step\n",
);
console.log(
  '| optimizer | 1 tensor of 1M: best CPU ms/step | median wall ms/step | 100 tensors of 10k: best CPU ms/step | median wall ms/step | heap bytes/step after warm-up | GCs in 5,000 steps |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
// Allocation is measured twice and the second pass reported: the first includes the JIT compiling
// (and recompiling, as more optimizers share the step code) the library's functions.
const optimizerCases = cases.filter(([name]) => !name.startsWith('('));
for (const [, create] of optimizerCases) bytesPerStep(create);
const allocations = new Map(optimizerCases.map(([name, create]) => [name, bytesPerStep(create)]));
for (const [name, create] of cases) {
  const allocation = allocations.get(name);
  const bytes = allocation === undefined ? 'n/a' : allocation.bytes.toFixed(1);
  const whole = millisecondsPerStep(create, 1);
  const parts = millisecondsPerStep(create, 100);
  console.log(
    `| ${name} | ${whole.cpu.toFixed(2)} | ${whole.wall.toFixed(2)} | ${parts.cpu.toFixed(2)} | ${parts.wall.toFixed(2)} | ${bytes} | ${allocation?.collections ?? 'n/a'} |`,
  );
}
console.log(`\nload average at the end: ${load()}`);

// The WebAssembly SIMD kernels: the same optimizers on parameters that live in a WebAssembly memory
// (as @annet/tensor's resident tensors do), against the TypeScript updates on ordinary arrays.
const simdCases = cases.filter(
  ([name]) => /^(SGD|Adam|AdamW|RMSprop|Adagrad|NAdam|RAdam|Lion)( |$)/.test(name) && !name.includes('cosine'),
);
console.log(
  '\nSIMD kernels (parameters in a WebAssembly memory) against the TypeScript updates (ordinary arrays), best CPU ms/step',
);
console.log(
  '| optimizer | 1 tensor of 1M: TypeScript | SIMD | MLP 784-128-64-10 (109,386 in 6 tensors): TypeScript | SIMD | SIMD heap bytes/step |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [, create] of simdCases) bytesPerStep(create, true);
for (const [name, create] of simdCases) {
  const typescriptWhole = millisecondsPerStep(create, () => ordinaryModel([[size]]));
  const simdWhole = millisecondsPerStep(create, () => residentModel([[size]]));
  const typescriptMlp = millisecondsPerStep(create, () => ordinaryModel(mlpShapes));
  const simdMlp = millisecondsPerStep(create, () => residentModel(mlpShapes));
  const bytes = bytesPerStep(create, true).bytes;
  console.log(
    `| ${name} | ${typescriptWhole.cpu.toFixed(2)} | ${simdWhole.cpu.toFixed(2)} | ${typescriptMlp.cpu.toFixed(3)} | ${simdMlp.cpu.toFixed(3)} | ${bytes.toFixed(1)} |`,
  );
}
console.log(`\nload average at the end: ${load()}`);
