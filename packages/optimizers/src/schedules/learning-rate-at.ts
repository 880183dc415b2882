import { constantLearningRate } from './constant.js';
import { cosineLearningRate } from './cosine.js';
import { exponentialLearningRate } from './exponential.js';
import { linearWarmupLearningRate } from './linear-warmup.js';
import { multiStepLearningRate } from './multi-step.js';
import { oneCycleLearningRate } from './one-cycle.js';
import { polynomialLearningRate } from './polynomial.js';
import type { LearningRate, PlateauState, PureSchedule } from './schedule-types.js';
import { stepLearningRate } from './step.js';

/** Where a sequential schedule is at `step`: which part, and the step within it. */
function sequentialLearningRate(schedules: readonly PureSchedule[], milestones: readonly number[], step: number): number {
  let part = 0;
  while (part < milestones.length && step >= milestones[part]) part++;
  const start = part === 0 ? 0 : milestones[part - 1];
  return pureLearningRate(schedules[part], step - start);
}

function pureLearningRate(schedule: PureSchedule, step: number): number {
  switch (schedule.type) {
    case 'constant': return constantLearningRate(schedule, step);
    case 'step': return stepLearningRate(schedule, step);
    case 'multiStep': return multiStepLearningRate(schedule, step);
    case 'exponential': return exponentialLearningRate(schedule, step);
    case 'cosine': return cosineLearningRate(schedule, step);
    case 'linearWarmup': return linearWarmupLearningRate(schedule, step);
    case 'polynomial': return polynomialLearningRate(schedule, step);
    case 'oneCycle': return oneCycleLearningRate(schedule, step);
    case 'sequential': return sequentialLearningRate(schedule.schedules, schedule.milestones, step);
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
