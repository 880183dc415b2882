import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { Adagrad } from '../optimizers/adagrad.js';
import { Adam } from '../optimizers/adam.js';
import { AdamW } from '../optimizers/adamw.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { makeParameter, maxDifference } from '../testing/fixtures.js';
import { torchFixtures } from '../testing/torch-fixtures.js';
import { cycledMomentumAt } from './learning-rate-at.js';
import { oneCycleMomentum, oneCycleSchedule } from './one-cycle.js';

const classes: Record<string, new (options: never) => Optimizer<never>> = { SGD, RMSprop, Adam, AdamW } as never;

describe('oneCycle momentum cycling (PyTorch 1.13 OneCycleLR fixtures)', () => {
  // PyTorch: the optimizer under OneCycleLR(cycle_momentum=True by default); the lr and momentum (or
  // betas[0]) before every step and θ after it, float64, from the stored gradients.
  for (const fixture of torchFixtures.oneCycle) {
    it(`follows PyTorch's rate, momentum and trajectory: ${fixture.optimizer}, ${fixture.name}`, () => {
      const optimizer = new classes[fixture.optimizer]({ ...fixture.options, learningRate: fixture.schedule } as never);
      const parameter = makeParameter('p', [torchFixtures.theta0.length], torchFixtures.theta0);
      const momentumName = fixture.momentumName === 'betas' ? 'beta1' : 'momentum';
      const configured = (optimizer.config as Record<string, number>)[momentumName];
      torchFixtures.gradients.forEach((gradient, step) => {
        expect(optimizer.currentLearningRate()).toBeCloseTo(fixture.rates[step], 15);
        const momentum = cycledMomentumAt(oneCycleSchedule(fixture.schedule as never), step);
        expect(Number.isNaN(momentum) ? configured : momentum).toBeCloseTo(fixture.momenta[step], 15);
        parameter.grad.set(gradient);
        optimizer.step([parameter]);
        expect(maxDifference(parameter.value, fixture.thetas[step])).toBeLessThan(1e-12);
      });
    });
  }

  it('runs from maxMomentum down to baseMomentum at the peak and back (hand-derived, linear)', () => {
    // totalSteps 11, percentStart 0.5: the rise ends at step 0.5·11 − 1 = 4.5, the fall at 10.
    // Step 2: 0.95 + (0.85 − 0.95)·2/4.5; step 4.5 is no integer, step 10 ends at 0.95.
    const schedule = oneCycleSchedule({
      maxLearningRate: 1,
      totalSteps: 11,
      percentStart: 0.5,
      annealStrategy: 'linear',
    });
    expect(oneCycleMomentum(schedule, 0)).toBe(0.95);
    expect(oneCycleMomentum(schedule, 2)).toBeCloseTo(0.95 - 0.1 * (2 / 4.5), 15);
    expect(oneCycleMomentum(schedule, 7)).toBeCloseTo(0.85 + 0.1 * ((7 - 4.5) / 5.5), 15);
    expect(oneCycleMomentum(schedule, 10)).toBeCloseTo(0.95, 15);
    expect(oneCycleMomentum(schedule, 50)).toBeCloseTo(0.95, 15); // held after totalSteps
    expect(
      oneCycleMomentum(oneCycleSchedule({ maxLearningRate: 1, totalSteps: 11, cycleMomentum: false }), 3),
    ).toBeNaN();
  });

  it('gives SGD without momentum a momentumBuffer, as PyTorch sets the momentum to 0.95', () => {
    const sgd = new SGD({ learningRate: oneCycleSchedule({ maxLearningRate: 0.1, totalSteps: 10 }) });
    const parameter = makeParameter('p', [1], [1]);
    parameter.grad.set([1]);
    sgd.step([parameter]);
    expect(Object.keys(sgd.parameterState('p')?.slots ?? {})).toEqual(['momentumBuffer']);
    expect(sgd.config.momentum).toBe(0); // the configured value is what saves
  });

  it('leaves optimizers without momentum (Adagrad) to follow only the rate', () => {
    const adagrad = new Adagrad({ learningRate: oneCycleSchedule({ maxLearningRate: 0.1, totalSteps: 10 }) });
    const parameter = makeParameter('p', [1], [1]);
    parameter.grad.set([2]);
    adagrad.step([parameter]);
    // Adagrad's first step: sum = 4, θ = 1 − lr₀·2/(√4 + 1e-10) ≈ 1 − lr₀ with lr₀ = 0.1/25 (the initial rate).
    expect(parameter.value[0]).toBeCloseTo(1 - (0.1 / 25) * (2 / (2 + 1e-10)), 15);
  });

  it('resumes bit for bit: the momentum is a function of the step count', () => {
    const make = () => new Adam({ learningRate: oneCycleSchedule({ maxLearningRate: 0.01, totalSteps: 14 }) });
    const straight = make();
    const p = makeParameter('p', [6], torchFixtures.theta0);
    const first = make();
    const q = makeParameter('p', [6], torchFixtures.theta0);
    torchFixtures.gradients.forEach((gradient, step) => {
      p.grad.set(gradient);
      straight.step([p]);
      if (step < 7) {
        q.grad.set(gradient);
        first.step([q]);
      }
    });
    const resumed = make();
    resumed.loadJSON(JSON.parse(JSON.stringify(first)));
    torchFixtures.gradients.slice(7).forEach((gradient) => {
      q.grad.set(gradient);
      resumed.step([q]);
    });
    expect([...q.value]).toEqual([...p.value]);
  });
});
