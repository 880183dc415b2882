import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { cosineSchedule } from '../schedules/cosine.js';
import { makeParameter } from '../testing/fixtures.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Lion } from './lion.js';
import { NAdam } from './nadam.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

type Gradient = (x: Float64Array, out: Float64Array) => void;

/** Runs `steps` optimizer steps on one float64 parameter and returns where it ends. */
function minimize(optimizer: Optimizer<never>, start: readonly number[], gradient: Gradient, steps: number): number[] {
  const parameter = makeParameter('x', [start.length], start);
  for (let step = 0; step < steps; step++) {
    gradient(parameter.value as Float64Array, parameter.grad as Float64Array);
    optimizer.step([parameter]);
  }
  return [...parameter.value];
}

// Quadratic bowl f(x) = Σ a_i (x_i − c_i)², curvatures 1 to 10, minimum at c.
const curvature = [1, 3, 10];
const centre = [1, -2, 0.5];
const bowl: Gradient = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = 2 * curvature[i] * (x[i] - centre[i]);
};

// Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)², minimum at (1, 1) at the end of a curved valley.
const rosenbrock: Gradient = ([x, y], out) => {
  out[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  out[1] = 200 * (y - x * x);
};

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((value, i) => value - b[i]));

describe('convergence on a quadratic bowl', () => {
  const cases: Array<[string, () => Optimizer<never>]> = [
    ['SGD', () => new SGD({ learningRate: 0.04 }) as never],
    ['SGD with Nesterov momentum', () => new SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true }) as never],
    ['Adam', () => new Adam({ learningRate: 0.05 }) as never],
    ['AdamW (no decay)', () => new AdamW({ learningRate: 0.05, weightDecay: 0 }) as never],
    ['RMSprop', () => new RMSprop({ learningRate: 0.01 }) as never],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }) as never],
    ['Adadelta', () => new Adadelta({ learningRate: 10 }) as never],
    ['Adamax', () => new Adamax({ learningRate: 0.05 }) as never],
    ['NAdam', () => new NAdam({ learningRate: 0.05 }) as never],
    ['RAdam', () => new RAdam({ learningRate: 0.05 }) as never],
    [
      'Lion (cosine decay)',
      () => new Lion({ learningRate: cosineSchedule({ initialLearningRate: 0.05, totalSteps: 2000 }) }) as never,
    ],
  ];
  it.each(cases)('%s reaches the minimum', (_name, create) => {
    expect(distance(minimize(create(), [-3, 3, 4], bowl, 2000), centre)).toBeLessThan(1e-3);
  });
});

describe('convergence on Rosenbrock', () => {
  const cases: Array<[string, () => Optimizer<never>, number]> = [
    ['SGD with momentum', () => new SGD({ learningRate: 1e-4, momentum: 0.9 }) as never, 20_000],
    ['Adam', () => new Adam({ learningRate: 0.02 }) as never, 10_000],
    ['AdamW (no decay)', () => new AdamW({ learningRate: 0.02, weightDecay: 0 }) as never, 10_000],
    ['RMSprop with momentum', () => new RMSprop({ learningRate: 1e-3, momentum: 0.9 }) as never, 20_000],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }) as never, 20_000],
    // Adadelta's step size tracks its own past steps and circles in the valley; a decaying rate settles it.
    [
      'Adadelta (cosine decay)',
      () => new Adadelta({ learningRate: cosineSchedule({ initialLearningRate: 1, totalSteps: 50_000 }) }) as never,
      50_000,
    ],
    ['Adamax', () => new Adamax({ learningRate: 0.02 }) as never, 20_000],
    ['NAdam', () => new NAdam({ learningRate: 0.02 }) as never, 10_000],
    // RAdam's first five steps are plain momentum steps on gradients of size ~100, so a smaller rate.
    ['RAdam', () => new RAdam({ learningRate: 2e-3 }) as never, 20_000],
    [
      'Lion (cosine decay)',
      () => new Lion({ learningRate: cosineSchedule({ initialLearningRate: 0.01, totalSteps: 20_000 }) }) as never,
      20_000,
    ],
  ];
  it.each(cases)('%s finds (1, 1) from (−1.5, 2)', (_name, create, steps) => {
    expect(distance(minimize(create(), [-1.5, 2], rosenbrock, steps), [1, 1])).toBeLessThan(1e-2);
  });
});
