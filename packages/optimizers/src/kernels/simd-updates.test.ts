import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { Adam } from '../optimizers/adam.js';
import { optimizerFromStateDict } from '../serialization/optimizer-from-json.js';
import { bitsEqual, initialValues, makeParameter, maxDifference, variedGradients } from '../testing/fixtures.js';
import { optimizerCases } from '../testing/optimizer-cases.js';
import { testMemory } from '../testing/resident-memory.js';
import { optimizerKernelsFor } from './optimizer-kernels.js';
import { optimizerKernelsBase64, optimizerKernelsSharedBase64 } from './wasm-binary.generated.js';

// 37 elements: nine SIMD vectors and a scalar tail of one.
const size = 37;
const steps = 12;
const simdLabels = new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Lion', 'NAdam', 'RAdam']);

function trajectory(
  create: () => Optimizer<never>,
  resident: boolean,
  gradients: number[][],
): { values: Float32Array[]; optimizer: Optimizer<never> } {
  const theta0 = initialValues(size, 3);
  const parameter = resident
    ? testMemory().parameter('layer.weights', [size], theta0)
    : makeParameter('layer.weights', [size], theta0, 'float32');
  const optimizer = create();
  const values: Float32Array[] = [];
  for (const gradient of gradients) {
    parameter.grad.set(gradient);
    optimizer.step([parameter]);
    values.push(parameter.value.slice() as Float32Array);
  }
  return { values, optimizer };
}

describe('the WebAssembly SIMD updates', () => {
  it('were built from the current assembly/ sources (the recorded hash matches) and carry no data segment', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(
      execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: root, encoding: 'utf8' }),
    ).toContain('up to date');
    for (const base64 of [optimizerKernelsSharedBase64, optimizerKernelsBase64]) {
      const module = new WebAssembly.Module(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(
        WebAssembly.Module.exports(module)
          .map((entry) => entry.name)
          .sort(),
      ).toEqual([
        'adagrad',
        'adaptiveMoments',
        'lion',
        'maxMagnitude',
        'memory',
        'rmsprop',
        'scale',
        'sgd',
        'sumOfSquares',
      ]);
    }
  });

  it('bind to shared and ordinary memories alike, writing nothing into them when instantiated', () => {
    for (const shared of [true, false]) {
      const memory = testMemory({ shared, pages: 1 });
      const before = new Uint8Array(memory.memory.buffer).slice();
      expect(optimizerKernelsFor(memory.memory)).not.toBeNull();
      expect(
        bitsEqual(
          new Float64Array(before.buffer),
          new Float64Array(new Uint8Array(memory.memory.buffer).slice().buffer),
        ),
      ).toBe(true);
    }
  });

  for (const { label, create, optionSets } of optimizerCases.filter((entry) => simdLabels.has(entry.label))) {
    for (const options of optionSets) {
      it(`${label} ${JSON.stringify(options)}: runs in the parameter's memory, within float32 rounding of the TypeScript update`, () => {
        const gradients = variedGradients(steps, size, 5);
        const typescript = trajectory(() => create(options), false, gradients);
        const simd = trajectory(() => create(options), true, gradients);
        simd.values.forEach((values, step) =>
          expect(maxDifference(values, typescript.values[step])).toBeLessThan(2e-6),
        );
        // The state moved into the memory: the kernels, not the TypeScript loop, ran.
        for (const array of Object.values(simd.optimizer.parameterState('layer.weights')?.slots ?? {}))
          expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
      });
    }
  }

  it('resumes bit for bit with the same kernels after stateDict and optimizerFromStateDict', () => {
    const gradients = variedGradients(20, size, 9);
    const straight = trajectory(() => new Adam({ learningRate: 0.01, amsgrad: true }) as never, true, gradients);
    const memory = testMemory();
    const parameter = memory.parameter('layer.weights', [size], initialValues(size, 3));
    let optimizer: Optimizer = new Adam({ learningRate: 0.01, amsgrad: true });
    gradients.forEach((gradient, step) => {
      if (step === 10) optimizer = optimizerFromStateDict(optimizer.stateDict());
      parameter.grad.set(gradient);
      optimizer.step([parameter]);
    });
    expect(bitsEqual(parameter.value, straight.values[19])).toBe(true);
  });

  it('places the state again when the parameter moves to another memory', () => {
    const gradients = variedGradients(steps, size, 17);
    const straight = trajectory(() => new Adam({ learningRate: 0.01 }) as never, true, gradients);
    const first = testMemory().parameter('layer.weights', [size], initialValues(size, 3));
    const adam = new Adam({ learningRate: 0.01 });
    let parameter = first;
    gradients.forEach((gradient, step) => {
      if (step === 6) parameter = testMemory().parameter('layer.weights', [size], first.value);
      parameter.grad.set(gradient);
      adam.step([parameter]);
      // Once the state has moved, the old memory is dead: nothing may read it any more.
      if (step === 6) new Float32Array(first.value.buffer).fill(Number.NaN);
    });
    expect(bitsEqual(parameter.value, straight.values[steps - 1])).toBe(true);
  });

  it('runs the TypeScript update, bit for bit, for gradients given by name or a memory without room', () => {
    const gradients = variedGradients(steps, size, 13);
    const typescript = trajectory(() => new Adam({ learningRate: 0.01 }) as never, false, gradients);
    // Gradients by name (not the parameter's own grad, so not known to be in the memory).
    const byName = testMemory().parameter('layer.weights', [size], initialValues(size, 3));
    const adam = new Adam({ learningRate: 0.01 });
    for (const gradient of gradients) adam.step([byName], { 'layer.weights': Float32Array.from(gradient) });
    expect(bitsEqual(byName.value, typescript.values[steps - 1])).toBe(true);
    // A memory that holds the parameter but has no room for the state.
    const full = testMemory({ capacity: 2 * 160 });
    const crowded = full.parameter('layer.weights', [size], initialValues(size, 3));
    const second = new Adam({ learningRate: 0.01 });
    for (const gradient of gradients) {
      crowded.grad.set(gradient);
      second.step([crowded]);
    }
    expect(bitsEqual(crowded.value, typescript.values[steps - 1])).toBe(true);
    expect(second.parameterState('layer.weights')?.slots.firstMoment.buffer).toBeInstanceOf(ArrayBuffer);
  });
});
