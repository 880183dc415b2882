import { constantLearningRate } from './constant.js';
import { cosineLearningRate } from './cosine.js';
import { exponentialLearningRate } from './exponential.js';
import { linearWarmupLearningRate } from './linear-warmup.js';
import { multiStepLearningRate } from './multi-step.js';
import { oneCycleLearningRate, oneCycleMomentum } from './one-cycle.js';
import { polynomialLearningRate } from './polynomial.js';
import type { LearningRate, PlateauState, PureSchedule } from './schedule-types.js';
import { stepLearningRate } from './step.js';

/** Where a sequential schedule is at `step`: which part, and the step within it. */
function sequentialLearningRate(
  schedules: readonly PureSchedule[],
  milestones: readonly number[],
  step: number,
): number {
  let part = 0;
  while (part < milestones.length && step >= milestones[part]) part++;
  const start = part === 0 ? 0 : milestones[part - 1];
  return pureLearningRate(schedules[part], step - start);
}

function pureLearningRate(schedule: PureSchedule, step: number): number {
  switch (schedule.type) {
    case 'constant':
      return constantLearningRate(schedule, step);
    case 'step':
      return stepLearningRate(schedule, step);
    case 'multiStep':
      return multiStepLearningRate(schedule, step);
    case 'exponential':
      return exponentialLearningRate(schedule, step);
    case 'cosine':
      return cosineLearningRate(schedule, step);
    case 'linearWarmup':
      return linearWarmupLearningRate(schedule, step);
    case 'polynomial':
      return polynomialLearningRate(schedule, step);
    case 'oneCycle':
      return oneCycleLearningRate(schedule, step);
    case 'sequential':
      return sequentialLearningRate(schedule.schedules, schedule.milestones, step);
  }
}

/**
 * The learning rate a number or a schedule gives before optimizer step `step` (0 for the first
 * step): a pure function of the config, the step and, for `reduceLROnPlateau`, its state
 * (`max(base(step) * state.scale, minLearningRate)`; no state means no reduction yet).
 * Allocation-free, so optimizers call it on every step.
 *
 * @example
 * learningRateAt(cosineSchedule({ initialLearningRate: 1, totalSteps: 100 }), 50); // 0.5
 * learningRateAt(0.01, 1234); // 0.01
 */
export function learningRateAt(learningRate: LearningRate, step: number, plateauState?: PlateauState): number {
  if (typeof learningRate === 'number') return learningRate;
  if (learningRate.type !== 'reduceLROnPlateau') return pureLearningRate(learningRate, step);
  const base = learningRateAt(learningRate.learningRate, step) * (plateauState === undefined ? 1 : plateauState.scale);
  return Math.max(base, learningRate.minLearningRate);
}

function pureMomentum(schedule: PureSchedule, step: number): number {
  if (schedule.type === 'oneCycle') return oneCycleMomentum(schedule, step);
  if (schedule.type !== 'sequential') return Number.NaN;
  let part = 0;
  while (part < schedule.milestones.length && step >= schedule.milestones[part]) part++;
  return pureMomentum(schedule.schedules[part], step - (part === 0 ? 0 : schedule.milestones[part - 1]));
}

/**
 * The momentum a schedule sets before optimizer step `step` (0 for the first): a one-cycle
 * schedule's cycled momentum ({@link oneCycleMomentum}), also as the active part of a sequential
 * schedule or as a plateau schedule's base; NaN when the schedule sets none at this step (the
 * optimizer then uses its configured momentum). Allocation-free.
 *
 * @example
 * cycledMomentumAt(oneCycleSchedule({ maxLearningRate: 0.1, totalSteps: 100 }), 0); // 0.95
 * cycledMomentumAt(0.01, 5); // NaN
 */
export function cycledMomentumAt(learningRate: LearningRate, step: number): number {
  if (typeof learningRate === 'number') return Number.NaN;
  if (learningRate.type !== 'reduceLROnPlateau') return pureMomentum(learningRate, step);
  return typeof learningRate.learningRate === 'number' ? Number.NaN : pureMomentum(learningRate.learningRate, step);
}

function pureMomentumBound(schedule: PureSchedule): number {
  if (schedule.type === 'oneCycle')
    return schedule.cycleMomentum ? Math.max(schedule.baseMomentum, schedule.maxMomentum) : Number.NaN;
  if (schedule.type !== 'sequential') return Number.NaN;
  return schedule.schedules.reduce((bound, part) => {
    const partBound = pureMomentumBound(part);
    return Number.isNaN(bound) || partBound > bound ? partBound : bound;
  }, Number.NaN);
}

/**
 * The largest momentum a schedule ever sets, NaN when it sets none: what decides whether a
 * parameter needs a momentum buffer (SGD, RMSprop) before the first step.
 *
 * @example
 * cycledMomentumBound(oneCycleSchedule({ maxLearningRate: 0.1, totalSteps: 100 })); // 0.95
 */
export function cycledMomentumBound(learningRate: LearningRate): number {
  if (typeof learningRate === 'number') return Number.NaN;
  if (learningRate.type !== 'reduceLROnPlateau') return pureMomentumBound(learningRate);
  return typeof learningRate.learningRate === 'number' ? Number.NaN : pureMomentumBound(learningRate.learningRate);
}
