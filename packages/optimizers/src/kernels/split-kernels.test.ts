import type { ParallelKernels, ParallelModule, Parameter } from '@annet/layer-api';
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { bitsEqual, initialValues, variedGradients } from '../testing/fixtures.js';
import { optimizerCases } from '../testing/optimizer-cases.js';
import { testMemory, type TestMemory } from '../testing/resident-memory.js';
import { parallelMinimumElements } from './optimizer-kernels.js';

const simdLabels = new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Lion', 'NAdam', 'RAdam']);
// Three parts of a parameter that is not a multiple of 4 long (the last part has the scalar tail).
const large = 3 * parallelMinimumElements + 7;
const small = parallelMinimumElements - 1;
const steps = 4;

/**
 * A stand-in for kernel threads that runs every part on this thread, one after the other, and
 * records them: what the optimizer hands `run` is what threads would run at the same time.
 */
function serialParallel(memory: WebAssembly.Memory, threads: number) {
  const runs: { exportName: string; parts: number[][] }[] = [];
  let instance: WebAssembly.Instance | undefined;
  const handle: ParallelModule = { exports: [] };
  const parallel: ParallelKernels = {
    threads,
    register(binary) {
      instance = new WebAssembly.Instance(new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>), {
        env: { memory },
      });
      return handle;
    },
    run(module, exportName, parts) {
      expect(module).toBe(handle);
      runs.push({ exportName, parts: parts.map((part) => [...part]) });
      for (const part of parts) (instance!.exports[exportName] as (...values: number[]) => void)(...part);
    },
  };
  return { parallel, runs };
}

function parameters(memory: TestMemory, parallel?: ParallelKernels): Parameter[] {
  const where = parallel === undefined ? memory : { ...memory, parallel };
  return [
    { ...memory.parameter('dense.weights', [large], initialValues(large, 3)), memory: where },
    { ...memory.parameter('dense.biases', [small], initialValues(small, 4)), memory: where },
  ];
}

function train(create: () => Optimizer<never>, list: Parameter[], gradients: number[][][]): void {
  const optimizer = create();
  for (const step of gradients) {
    list.forEach((parameter, index) => parameter.grad.set(step[index]));
    optimizer.step(list);
  }
}

describe('the SIMD updates split across threads (ParameterMemory.parallel)', () => {
  const gradients = Array.from({ length: steps }, (_, step) =>
    [large, small].map((size, index) => variedGradients(1, size, 10 * step + index)[0]),
  );
  for (const { label, create, optionSets } of optimizerCases.filter((entry) => simdLabels.has(entry.label))) {
    for (const options of optionSets) {
      it(`${label} ${JSON.stringify(options)}: 4-aligned contiguous ranges, bit-identical to one thread`, () => {
        const alone = parameters(testMemory({ pages: 128 }));
        train(() => create(options), alone, gradients);
        const memory = testMemory({ pages: 128 });
        const { parallel, runs } = serialParallel(memory.memory, 3);
        const split = parameters(memory, parallel);
        train(() => create(options), split, gradients);
        split.forEach((parameter, index) => expect(bitsEqual(parameter.value, alone[index].value)).toBe(true));
        // One run per step, for the large parameter only: three parts, each range starting where the last ended.
        expect(runs.length).toBe(steps);
        for (const { parts } of runs) {
          expect(parts.length).toBe(3);
          const lengthAt = parts[0].length === 7 || parts[0].length === 5 ? 3 : 5;
          const lengths = parts.map((part) => part[lengthAt]);
          expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(large);
          expect(lengths.slice(0, -1).every((length) => length % 4 === 0)).toBe(true);
          expect(parts[1][0] - parts[0][0]).toBe(4 * lengths[0]); // value addresses
          expect(parts[2][0] - parts[1][0]).toBe(4 * lengths[1]);
          expect(parts[0][0]).toBe(split[0].value.byteOffset);
        }
      });
    }
  }

  it('does not split while one thread runs, and takes the one-thread kernels when registration is refused', () => {
    const alone = parameters(testMemory({ pages: 128 }));
    train(() => create('Adam'), alone, gradients);
    const memory = testMemory({ pages: 128 });
    const one = serialParallel(memory.memory, 1);
    const split = parameters(memory, one.parallel);
    train(() => create('Adam'), split, gradients);
    expect(one.runs).toEqual([]);
    const refusing = testMemory({ pages: 128 });
    const refused = parameters(refusing, {
      threads: 2,
      register: () => {
        throw new Error('no threads here');
      },
      run: () => expect.unreachable(),
    });
    train(() => create('Adam'), refused, gradients);
    for (const list of [split, refused])
      list.forEach((parameter, index) => expect(bitsEqual(parameter.value, alone[index].value)).toBe(true));
  });
});

function create(label: string): Optimizer<never> {
  return optimizerCases.find((entry) => entry.label === label)!.create({ learningRate: 0.01 });
}
