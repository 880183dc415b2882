import type { Parameter } from '@annet/layer-api';
import { Adagrad, Adam, AdamW, Lion, NAdam, RAdam, RMSprop, SGD, type Optimizer } from '@annet/optimizers';
import { residentParameterMemory, residentZeros } from '@annet/tensor';
import { startKernelThreads } from '@annet/tensor/node';
import { describe, expect, it, vi } from 'vitest';

// The optimizers' SIMD updates split across real kernel threads (worker threads sharing the
// tensor backend's memory, through Parameter.memory.parallel) against the same updates on one
// thread: the same bytes after several steps. The first parameter is split (three threads, three
// ranges; its length is not a multiple of 4), the others are below the split threshold.
const sizes = [100_352 + 3, 8192, 10];
const steps = 5;

const cases: [string, () => Optimizer<never>][] = [
  ['Adam', () => new Adam({ learningRate: 0.01 }) as never],
  ['Adam AMSGrad, weight decay', () => new Adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.01 }) as never],
  ['AdamW', () => new AdamW({ learningRate: 0.01 }) as never],
  ['AdamW AMSGrad', () => new AdamW({ learningRate: 0.01, amsgrad: true }) as never],
  ['SGD momentum', () => new SGD({ learningRate: 0.01, momentum: 0.9, dampening: 0.1 }) as never],
  ['SGD Nesterov', () => new SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.01 }) as never],
  ['RMSprop centered', () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.9 }) as never],
  ['Adagrad', () => new Adagrad({ learningRate: 0.01, lrDecay: 0.01 }) as never],
  ['Lion', () => new Lion({ learningRate: 1e-3, weightDecay: 0.1 }) as never],
  ['NAdam', () => new NAdam({ learningRate: 0.01 }) as never],
  ['RAdam', () => new RAdam({ learningRate: 0.01 }) as never], // 5 steps cover its ρ ≤ 5 start
];

/** A deterministic value in [-scale, scale) for element `index` of draw `seed` (no Math.random). */
function deterministic(seed: number, index: number, scale: number): number {
  const x = Math.sin(seed * 12.9898 + index * 78.233) * 43758.5453;
  return (x - Math.floor(x) - 0.5) * 2 * scale;
}

/** Fresh resident parameters (value and grad in the kernel memory, with `memory` set), the same values each time. */
function residentParameters(): Parameter[] {
  return sizes.map((size, index) => {
    const value = residentZeros([size]).data as Float32Array;
    const grad = residentZeros([size]).data as Float32Array;
    for (let element = 0; element < size; element++) value[element] = deterministic(index + 1, element, 2);
    const memory = residentParameterMemory(value, grad);
    if (memory === undefined) throw new Error('expected the WebAssembly backend on a shared memory');
    return { name: `layer.${index}`, shape: [size], value, grad, memory };
  });
}

/** The values after `steps` steps, copied out. */
function trajectory(create: () => Optimizer<never>): Float32Array[] {
  const parameters = residentParameters();
  const optimizer = create();
  for (let step = 0; step < steps; step++) {
    parameters.forEach((parameter, index) => {
      const scale = [0.01, 1, 3][(step + index) % 3];
      for (let element = 0; element < parameter.grad.length; element++)
        parameter.grad[element] = element % 17 === step ? 0 : deterministic(100 * step + index, element, scale);
    });
    optimizer.step(parameters);
  }
  return parameters.map((parameter) => (parameter.value as Float32Array).slice());
}

const sameBytes = (first: Float32Array, second: Float32Array): boolean =>
  Buffer.from(first.buffer, first.byteOffset, first.byteLength).equals(
    Buffer.from(second.buffer, second.byteOffset, second.byteLength),
  );

describe('optimizer updates on kernel threads (ParameterMemory.parallel with real worker threads)', () => {
  it('give the same bytes as one thread for every SIMD optimizer, and really run on the threads', async () => {
    const alone = cases.map(([, create]) => trajectory(create));
    const parallel = residentParameters()[0].memory!.parallel!;
    expect(parallel.threads).toBe(1);
    const threads = await startKernelThreads({ threads: 3 });
    try {
      expect(parallel.threads).toBe(3);
      const run = vi.spyOn(parallel, 'run');
      cases.forEach(([label, create], index) => {
        run.mockClear();
        const split = trajectory(create);
        // One run per step (the first parameter only), in three parts.
        expect(
          run.mock.calls.map((call) => call[2].length),
          label,
        ).toEqual(new Array(steps).fill(3));
        split.forEach((values, parameter) =>
          expect(sameBytes(values, alone[index][parameter]), `${label}, parameter ${parameter}`).toBe(true),
        );
      });
      run.mockRestore();
    } finally {
      await threads.stop();
    }
    expect(parallel.threads).toBe(1);
  });
});
