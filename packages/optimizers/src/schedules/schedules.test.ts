import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SGD } from '../optimizers/sgd.js';
import { makeParameter } from '../testing/fixtures.js';
import { constantSchedule } from './constant.js';
import { cosineSchedule } from './cosine.js';
import { exponentialSchedule } from './exponential.js';
import { learningRateAt } from './learning-rate-at.js';
import { linearWarmupSchedule } from './linear-warmup.js';
import { multiStepSchedule } from './multi-step.js';
import { oneCycleSchedule } from './one-cycle.js';
import { polynomialSchedule } from './polynomial.js';
import { initialPlateauState, observePlateau, reduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { sequentialSchedule } from './sequential.js';
import { stepSchedule } from './step.js';

const at = (schedule: Parameters<typeof learningRateAt>[0], steps: number[]) =>
  steps.map((step) => learningRateAt(schedule, step));

describe('pure schedules, hand-derived', () => {
  it('constant gives its rate at every step', () => {
    expect(at(constantSchedule({ learningRate: 0.3 }), [0, 1, 1000])).toEqual([0.3, 0.3, 0.3]);
  });

  it('step halves every 10 steps: 1, 1, 0.5, 0.25 at steps 0, 9, 10, 25', () => {
    expect(at(stepSchedule({ initialLearningRate: 1, stepSize: 10, gamma: 0.5 }), [0, 9, 10, 25])).toEqual([
      1, 1, 0.5, 0.25,
    ]);
  });

  it('multiStep multiplies by 0.1 at each milestone: 1 before 2, 0.1 from 2, 0.01 from 5', () => {
    const rates = at(multiStepSchedule({ initialLearningRate: 1, milestones: [2, 5] }), [0, 1, 2, 4, 5, 100]);
    expect(rates.map((rate) => Number(rate.toPrecision(12)))).toEqual([1, 1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('exponential: 1 · 0.5^3 = 0.125 at step 3', () => {
    expect(at(exponentialSchedule({ initialLearningRate: 1, gamma: 0.5 }), [0, 1, 3])).toEqual([1, 0.5, 0.125]);
  });

  it('cosine: warmup 0 → 1 over 2 steps, then 1 → 0.1 over 4 steps, then the floor', () => {
    // Warmup: 0, 0.5. Cosine p = (step − 2)/4: p = 0 → 1; p = 0.5 → 0.1 + 0.9·(1 + 0)/2 = 0.55; p = 1 → 0.1.
    const schedule = cosineSchedule({ initialLearningRate: 1, totalSteps: 6, warmupSteps: 2, minLearningRate: 0.1 });
    const rates = at(schedule, [0, 1, 2, 4, 6, 50]);
    expect(rates[0]).toBe(0);
    expect(rates[1]).toBe(0.5);
    expect(rates[2]).toBe(1);
    expect(rates[3]).toBeCloseTo(0.55, 15);
    expect(rates[4]).toBeCloseTo(0.1, 15);
    expect(rates[5]).toBeCloseTo(0.1, 15);
  });

  it('linearWarmup ramps 0.1 → 1 over 3 steps, then holds', () => {
    const rates = at(
      linearWarmupSchedule({ learningRate: 1, warmupSteps: 3, startLearningRate: 0.1 }),
      [0, 1, 2, 3, 10],
    );
    expect(rates[0]).toBe(0.1);
    expect(rates[1]).toBeCloseTo(0.4, 15);
    expect(rates[2]).toBeCloseTo(0.7, 15);
    expect(rates.slice(3)).toEqual([1, 1]);
  });

  it('polynomial with power 2 from 1 to 0.1 over 4 steps: 0.1 + 0.9·(1 − s/4)²', () => {
    // s = 1: 0.1 + 0.9·0.5625 = 0.60625; s = 2: 0.1 + 0.9·0.25 = 0.325; s ≥ 4: 0.1.
    const rates = at(
      polynomialSchedule({ initialLearningRate: 1, totalSteps: 4, power: 2, finalLearningRate: 0.1 }),
      [0, 1, 2, 4, 9],
    );
    expect(rates[0]).toBe(1);
    expect(rates[1]).toBeCloseTo(0.60625, 15);
    expect(rates[2]).toBeCloseTo(0.325, 15);
    expect(rates[3]).toBeCloseTo(0.1, 15);
    expect(rates[4]).toBeCloseTo(0.1, 15);
  });

  it("oneCycle matches PyTorch's OneCycleLR phases (linear, 11 steps, percentStart 0.5)", () => {
    // initial = 1/2 = 0.5, final = 0.5/1e4 = 5e-5; phase 1 ends at 0.5·11 − 1 = 4.5, phase 2 at 10.
    // Step 0: 0.5; step 2: 0.5 + 0.5·2/4.5 = 0.7222...; step 10: 5e-5.
    const schedule = oneCycleSchedule({
      maxLearningRate: 1,
      totalSteps: 11,
      percentStart: 0.5,
      annealStrategy: 'linear',
      divFactor: 2,
    });
    expect(learningRateAt(schedule, 0)).toBe(0.5);
    expect(learningRateAt(schedule, 2)).toBeCloseTo(0.5 + (0.5 * 2) / 4.5, 15);
    expect(learningRateAt(schedule, 10)).toBeCloseTo(5e-5, 15);
    expect(learningRateAt(schedule, 20)).toBeCloseTo(5e-5, 15);
  });

  it('oneCycle with cosine annealing peaks at maxLearningRate at the end of the rise', () => {
    const schedule = oneCycleSchedule({ maxLearningRate: 0.1, totalSteps: 101, percentStart: 0.2 });
    // rise ends at 0.2·101 − 1 = 19.2: step 19 is just below the peak, cos(π·19/19.2) ≈ −0.99893.
    expect(learningRateAt(schedule, 0)).toBeCloseTo(0.004, 15);
    expect(learningRateAt(schedule, 19)).toBeGreaterThan(0.0999);
  });

  it('sequential evaluates each part at the steps since its own start', () => {
    const schedule = sequentialSchedule(
      [
        linearWarmupSchedule({ learningRate: 1, warmupSteps: 2 }),
        exponentialSchedule({ initialLearningRate: 1, gamma: 0.5 }),
      ],
      [2],
    );
    expect(at(schedule, [0, 1, 2, 3, 4])).toEqual([0, 0.5, 1, 0.5, 0.25]);
  });
});

describe('schedule properties', () => {
  it('cosine stays between its floor and its peak and never rises after warmup', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 50 }),
        (peak, floorFraction, decaySteps, warmupSteps) => {
          const schedule = cosineSchedule({
            initialLearningRate: peak,
            minLearningRate: peak * floorFraction,
            totalSteps: warmupSteps + decaySteps,
            warmupSteps,
          });
          let previous = Number.POSITIVE_INFINITY;
          for (let step = warmupSteps; step <= warmupSteps + decaySteps + 3; step++) {
            const rate = learningRateAt(schedule, step);
            expect(rate).toBeLessThanOrEqual(previous + 1e-15);
            expect(rate).toBeGreaterThanOrEqual(peak * floorFraction - 1e-15);
            expect(rate).toBeLessThanOrEqual(peak + 1e-15);
            previous = rate;
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sequential equals its parts evaluated piecewise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 80 }), (milestone, step) => {
        const first = cosineSchedule({ initialLearningRate: 1, totalSteps: 40 });
        const second = stepSchedule({ initialLearningRate: 0.3, stepSize: 7 });
        const schedule = sequentialSchedule([first, second], [milestone]);
        const expected = step < milestone ? learningRateAt(first, step) : learningRateAt(second, step - milestone);
        expect(learningRateAt(schedule, step)).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('oneCycle stays between its final rate and maxLearningRate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 400 }),
        fc.double({ min: 0.1, max: 0.45, noNaN: true }),
        fc.boolean(),
        fc.boolean(),
        (totalSteps, percentStart, threePhase, cos) => {
          const schedule = oneCycleSchedule({
            maxLearningRate: 1,
            totalSteps,
            percentStart,
            threePhase,
            annealStrategy: cos ? 'cos' : 'linear',
          });
          for (let step = 0; step < totalSteps + 5; step++) {
            const rate = learningRateAt(schedule, step);
            expect(rate).toBeGreaterThanOrEqual(1 / 25 / 1e4 - 1e-15);
            expect(rate).toBeLessThanOrEqual(1 + 1e-15);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** PyTorch's ReduceLROnPlateau.step, written from its documentation, tracking the rate directly. */
function pytorchPlateau(
  metrics: number[],
  o: { factor: number; patience: number; cooldown: number; threshold: number; minLearningRate: number },
  initial: number,
): number[] {
  let best = Number.POSITIVE_INFINITY,
    bad = 0,
    cooldown = 0,
    rate = initial;
  return metrics.map((metric) => {
    if (metric < best * (1 - o.threshold)) {
      best = metric;
      bad = 0;
    } else {
      bad += 1;
    }
    if (cooldown > 0) {
      cooldown -= 1;
      bad = 0;
    }
    if (bad > o.patience) {
      const reduced = Math.max(rate * o.factor, o.minLearningRate);
      if (rate - reduced > 1e-8) rate = reduced;
      cooldown = o.cooldown;
      bad = 0;
    }
    return rate;
  });
}

describe('reduceLROnPlateau', () => {
  it("reduces exactly when PyTorch's ReduceLROnPlateau would", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        (metrics, patience, cooldown) => {
          const options = { factor: 0.5, patience, cooldown, threshold: 1e-4, minLearningRate: 1e-3 };
          const schedule = reduceLROnPlateau({ learningRate: 0.1, ...options });
          let state = initialPlateauState();
          const rates = metrics.map((metric) => {
            state = observePlateau(schedule, state, metric, 0);
            return learningRateAt(schedule, 0, state);
          });
          const expected = pytorchPlateau(metrics, options, 0.1);
          rates.forEach((rate, index) => expect(rate).toBeCloseTo(expected[index], 15));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('in max mode waits for the metric to stop rising (hand-derived)', () => {
    // patience 1: 0.5 best, 0.4 bad (1), 0.45 bad (2 > 1) → reduce to 0.1·0.1 = 0.01.
    const schedule = reduceLROnPlateau({
      learningRate: 0.1,
      mode: 'max',
      patience: 1,
      thresholdMode: 'abs',
      threshold: 0,
    });
    const optimizer = new SGD({ learningRate: schedule });
    for (const metric of [0.5, 0.4]) optimizer.observeMetric(metric);
    expect(optimizer.currentLearningRate()).toBe(0.1);
    optimizer.observeMetric(0.45);
    expect(optimizer.currentLearningRate()).toBeCloseTo(0.01, 15);
  });
});

describe('optimizers evaluate their schedule at the global step count', () => {
  it('uses the rate for step 0 on the first step, step 1 on the second, and so on', () => {
    // SGD with g = 1: θ moves by exactly the rate of each step: 1, 0.5, 0.25.
    const sgd = new SGD({ learningRate: exponentialSchedule({ initialLearningRate: 1, gamma: 0.5 }) });
    const parameter = makeParameter('w', [1], [0]);
    parameter.grad[0] = 1;
    const positions: number[] = [];
    for (let step = 0; step < 3; step++) {
      expect(sgd.currentLearningRate()).toBe(0.5 ** step);
      sgd.step([parameter]);
      positions.push(parameter.value[0]);
    }
    expect(positions).toEqual([-1, -1.5, -1.75]);
  });

  it('gives a group its own rate or schedule', () => {
    const sgd = new SGD({
      learningRate: 0.1,
      groups: [{ names: ['b'], learningRate: stepSchedule({ initialLearningRate: 1, stepSize: 1, gamma: 0.5 }) }],
    });
    expect(sgd.currentLearningRate('a')).toBe(0.1);
    expect(sgd.currentLearningRate('b')).toBe(1);
    const a = makeParameter('a', [1], [0]);
    const b = makeParameter('b', [1], [0]);
    a.grad[0] = 1;
    b.grad[0] = 1;
    sgd.step([a, b]);
    sgd.step([a, b]);
    expect([a.value[0], b.value[0]]).toEqual([-0.2, -1.5]);
  });
});
