import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Parameter } from '@annet/layer-api';
import { optimizerFromJSON, optimizerFromStateDict } from '../serialization/optimizer-from-json.js';
import { cosineSchedule } from '../schedules/cosine.js';
import { exponentialSchedule } from '../schedules/exponential.js';
import { linearWarmupSchedule } from '../schedules/linear-warmup.js';
import { multiStepSchedule } from '../schedules/multi-step.js';
import { oneCycleSchedule } from '../schedules/one-cycle.js';
import { polynomialSchedule } from '../schedules/polynomial.js';
import { reduceLROnPlateau } from '../schedules/reduce-lr-on-plateau.js';
import type { LearningRate } from '../schedules/schedule-types.js';
import { sequentialSchedule } from '../schedules/sequential.js';
import { stepSchedule } from '../schedules/step.js';
import { bitsEqual, initialValues, makeParameter, seededRandom, variedGradients } from '../testing/fixtures.js';
import { optimizerCases, type TestOptions } from '../testing/optimizer-cases.js';
import type { Optimizer } from './optimizer.js';

const totalSteps = 12;

/** A small model: float32 weights [3, 4], float64 biases [4] (optimizer state follows each dtype). */
function model(): Parameter[] {
  return [
    makeParameter('dense.weights', [3, 4], initialValues(12, 1), 'float32'),
    makeParameter('dense.biases', [4], initialValues(4, 2), 'float64'),
  ];
}

const gradients = { weights: variedGradients(totalSteps, 12, 3), biases: variedGradients(totalSteps, 4, 4) };
// A metric that improves, stalls and improves again, reported every second step.
const metrics = [1, 0.9, 0.9, 0.95, 0.97, 0.98, 0.99, 0.5, 0.5, 0.6, 0.7, 0.8];

function runSteps(optimizer: Optimizer<never>, parameters: Parameter[], from: number, to: number): void {
  for (let step = from; step < to; step++) {
    parameters[0].grad.set(gradients.weights[step]);
    parameters[1].grad.set(gradients.biases[step]);
    optimizer.step(parameters);
    if (step % 2 === 1) optimizer.observeMetric(metrics[step]);
  }
}

function copyModel(parameters: Parameter[]): Parameter[] {
  return parameters.map((parameter) => ({
    ...parameter,
    value: parameter.value.slice(),
    grad: parameter.grad.slice(),
  }));
}

const schedules: ReadonlyArray<[string, LearningRate]> = [
  ['a constant number', 0.01],
  ['step', stepSchedule({ initialLearningRate: 0.01, stepSize: 3, gamma: 0.5 })],
  ['multiStep', multiStepSchedule({ initialLearningRate: 0.01, milestones: [2, 7] })],
  [
    'cosine with warmup and floor',
    cosineSchedule({ initialLearningRate: 0.01, totalSteps: 10, warmupSteps: 3, minLearningRate: 1e-4 }),
  ],
  ['polynomial', polynomialSchedule({ initialLearningRate: 0.01, totalSteps: 10, power: 2 })],
  ['oneCycle (three phases)', oneCycleSchedule({ maxLearningRate: 0.01, totalSteps: 12, threePhase: true })],
  [
    'sequential warmup then exponential',
    sequentialSchedule(
      [
        linearWarmupSchedule({ learningRate: 0.01, warmupSteps: 4 }),
        exponentialSchedule({ initialLearningRate: 0.01, gamma: 0.9 }),
      ],
      [4],
    ),
  ],
  [
    'reduceLROnPlateau over a step schedule',
    reduceLROnPlateau({
      learningRate: stepSchedule({ initialLearningRate: 0.01, stepSize: 5 }),
      patience: 1,
      factor: 0.5,
      cooldown: 1,
    }),
  ],
];

type Restore = (optimizer: Optimizer<never>) => Optimizer<never>;
const throughJson: Restore = (optimizer) => optimizerFromJSON(JSON.parse(JSON.stringify(optimizer))) as never;
const throughStateDict: Restore = (optimizer) => {
  const dict = optimizer.stateDict();
  // A checkpoint writes the JSON part as text and the arrays as raw bytes.
  const arrays = Object.fromEntries(
    Object.entries(dict.arrays).map(([key, array]) => [key, { shape: [...array.shape], value: array.value.slice() }]),
  );
  return optimizerFromStateDict({
    ...JSON.parse(JSON.stringify({ type: dict.type, config: dict.config, state: dict.state })),
    arrays,
  }) as never;
};

/** Runs 12 steps straight, and k steps + save + restore + 12 − k steps; both must agree bit for bit. */
function expectExactResume(create: () => Optimizer<never>, k: number, restore: Restore): void {
  const straight = model();
  const straightOptimizer = create();
  runSteps(straightOptimizer, straight, 0, totalSteps);

  const first = model();
  const firstOptimizer = create();
  runSteps(firstOptimizer, first, 0, k);
  const resumedModel = copyModel(first);
  const resumedOptimizer = restore(firstOptimizer);
  expect(resumedOptimizer.stepCount).toBe(k);
  runSteps(resumedOptimizer, resumedModel, k, totalSteps);

  for (let index = 0; index < straight.length; index++) {
    expect(
      bitsEqual(resumedModel[index].value, straight[index].value),
      `${straight[index].name} after resuming at step ${k}`,
    ).toBe(true);
  }
  expect(JSON.stringify(resumedOptimizer)).toBe(JSON.stringify(straightOptimizer));
}

describe('exact resume', () => {
  const random = seededRandom(2024);
  const cases = optimizerCases.flatMap(({ label, create, optionSets }) =>
    optionSets.flatMap((options) =>
      schedules.map(([scheduleLabel, learningRate]) => {
        const k = 1 + Math.floor(random() * (totalSteps - 1));
        const withSchedule: TestOptions = { ...options, learningRate };
        return {
          name: `${label} ${JSON.stringify(options)} with ${scheduleLabel}, saved at step ${k}`,
          create: () => create(withSchedule),
          k,
        };
      }),
    ),
  );

  it.each(cases)('through JSON: $name', ({ create, k }) => {
    expectExactResume(create, k, throughJson);
  });

  it.each(cases.filter((_, index) => index % 3 === 0))('through a state dict: $name', ({ create, k }) => {
    expectExactResume(create, k, throughStateDict);
  });

  it('holds for any optimizer, options, schedule and save step (property)', () => {
    const flat = optimizerCases.flatMap(({ create, optionSets }) =>
      optionSets.map((options) => (learningRate: LearningRate) => create({ ...options, learningRate })),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: flat.length - 1 }),
        fc.integer({ min: 0, max: schedules.length - 1 }),
        fc.integer({ min: 0, max: totalSteps }),
        fc.boolean(),
        (caseIndex, scheduleIndex, k, viaJson) => {
          expectExactResume(
            () => flat[caseIndex](schedules[scheduleIndex][1]),
            k,
            viaJson ? throughJson : throughStateDict,
          );
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('keeps a plateau reduction made before the save', () => {
    const adam = optimizerCases[1].create({
      learningRate: reduceLROnPlateau({ learningRate: 0.1, patience: 0, factor: 0.5 }),
    });
    adam.observeMetric(1);
    adam.observeMetric(2);
    expect(adam.currentLearningRate()).toBe(0.05);
    expect(throughJson(adam).currentLearningRate()).toBe(0.05);
  });
});
