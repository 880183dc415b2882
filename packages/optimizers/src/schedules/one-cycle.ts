import { checkFields, invalid, type FieldSpec } from '../validation/fields.js';
import { atLeast, integerAtLeast, isBoolean, numberIn, oneOf } from '../validation/rules.js';
import type { OneCycleSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  maxLearningRate: { rule: atLeast(0) },
  totalSteps: { rule: integerAtLeast(2) },
  percentStart: { rule: numberIn(0, 1, { lowOpen: true, highOpen: true }), default: 0.3 },
  annealStrategy: { rule: oneOf(['cos', 'linear']), default: 'cos' },
  divFactor: { rule: atLeast(0, true), default: 25 },
  finalDivFactor: { rule: atLeast(0, true), default: 1e4 },
  threePhase: { rule: isBoolean, default: false },
};

/** The step that ends the rise: PyTorch's `pct_start * total_steps - 1`. */
function riseEnd(schedule: OneCycleSchedule): number {
  return schedule.percentStart * schedule.totalSteps - 1;
}

/** Cosine or linear interpolation from `from` to `to`, `percent` clamped to at most 1. */
function anneal(schedule: OneCycleSchedule, from: number, to: number, percent: number): number {
  const clamped = Math.min(1, percent);
  return schedule.annealStrategy === 'cos'
    ? to + (from - to) / 2 * (Math.cos(Math.PI * clamped) + 1)
    : (to - from) * clamped + from;
}

/**
 * Checks a {@link OneCycleSchedule} config (its `type` may be present) and returns it with
 * defaults; errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkOneCycleSchedule('SGD', 'learningRate.', { maxLearningRate: 0.1, totalSteps: 1000 });
 */
export function checkOneCycleSchedule(operation: string, prefix: string, input: unknown): OneCycleSchedule {
  const schedule = { type: 'oneCycle', ...checkFields(operation, prefix, input, fields, ['type']) } as OneCycleSchedule;
  const rise = riseEnd(schedule);
  const lastPhaseStart = schedule.threePhase ? 2 * rise : rise;
  if (!(rise > 0) || !(schedule.totalSteps - 1 > lastPhaseStart)) {
    invalid(operation, `${prefix}percentStart ${schedule.percentStart} leaves an empty phase over totalSteps ${schedule.totalSteps}; choose percentStart so that percentStart * totalSteps > 1 and the later phases keep at least one step`);
  }
  return schedule;
}

/**
 * The one-cycle policy (Smith and Topin, 2017) exactly as PyTorch's `OneCycleLR` computes it, per
 * optimizer step: from `maxLearningRate / divFactor` up to `maxLearningRate` over the first
 * `percentStart` of `totalSteps`, then down to `initial / finalDivFactor` (with `threePhase`, back
 * to the initial rate first). Annealing is `cos` (`end + (start - end) * (1 + cos(pi * pct)) / 2`)
 * or `linear`. Past `totalSteps` the rate stays at the final one.
 *
 * @example
 * const sgd = new SGD({ momentum: 0.9, learningRate: oneCycleSchedule({ maxLearningRate: 0.1, totalSteps: 10_000 }) });
 */
export function oneCycleSchedule(options: {
  maxLearningRate: number;
  totalSteps: number;
  percentStart?: number;
  annealStrategy?: 'cos' | 'linear';
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}): OneCycleSchedule {
  return checkOneCycleSchedule('oneCycleSchedule', '', options);
}

/**
 * The learning rate of a {@link OneCycleSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * oneCycleLearningRate(oneCycleSchedule({ maxLearningRate: 1, totalSteps: 11, percentStart: 0.5, annealStrategy: 'linear', divFactor: 2 }), 0); // 0.5
 */
export function oneCycleLearningRate(schedule: OneCycleSchedule, step: number): number {
  const initial = schedule.maxLearningRate / schedule.divFactor;
  const minimum = initial / schedule.finalDivFactor;
  const rise = riseEnd(schedule);
  const last = schedule.totalSteps - 1;
  if (step <= rise) return anneal(schedule, initial, schedule.maxLearningRate, step / rise);
  if (!schedule.threePhase) return anneal(schedule, schedule.maxLearningRate, minimum, (step - rise) / (last - rise));
  if (step <= 2 * rise) return anneal(schedule, schedule.maxLearningRate, initial, (step - rise) / rise);
  return anneal(schedule, initial, minimum, (step - 2 * rise) / (last - 2 * rise));
}
