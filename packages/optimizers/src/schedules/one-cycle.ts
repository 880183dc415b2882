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
  cycleMomentum: { rule: isBoolean, default: true },
  baseMomentum: { rule: numberIn(0, 1, { highOpen: true }), default: 0.85 },
  maxMomentum: { rule: numberIn(0, 1, { highOpen: true }), default: 0.95 },
};

/** The step that ends the rise: PyTorch's `pct_start * total_steps - 1`. */
function riseEnd(schedule: OneCycleSchedule): number {
  return schedule.percentStart * schedule.totalSteps - 1;
}

/** Cosine or linear interpolation from `from` to `to`, `percent` clamped to at most 1. */
function anneal(schedule: OneCycleSchedule, from: number, to: number, percent: number): number {
  const clamped = Math.min(1, percent);
  return schedule.annealStrategy === 'cos'
    ? to + ((from - to) / 2) * (Math.cos(Math.PI * clamped) + 1)
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
    invalid(
      operation,
      `${prefix}percentStart ${schedule.percentStart} leaves an empty phase over totalSteps ${schedule.totalSteps}; choose percentStart so that percentStart * totalSteps > 1 and the later phases keep at least one step`,
    );
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
 * With `cycleMomentum` (default true, as PyTorch's `cycle_momentum`), the momentum is cycled
 * inversely over the same phases and with the same annealing: from `maxMomentum` (0.95) down to
 * `baseMomentum` (0.85) while the rate rises, and back up while it falls (with `threePhase`, held
 * at `maxMomentum` in the last phase). It replaces the configured momentum of the optimizer on
 * every step: SGD's and RMSprop's `momentum` (even when configured 0, so SGD and RMSprop gain a
 * `momentumBuffer`, as in PyTorch) and the `beta1` of Adam, AdamW, Adamax, NAdam, RAdam and Lion
 * (PyTorch's `betas[0]`). Adagrad and Adadelta have no momentum and follow only the rate (PyTorch
 * refuses them unless `cycle_momentum=False`).
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
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
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
  return oneCyclePhases(schedule, step, initial, schedule.maxLearningRate, initial, minimum);
}

/**
 * PyTorch's phases with the values `first` → `peak` (rise), `peak` → `last` (fall) or, with
 * `threePhase`, `peak` → `back` → `last`.
 */
function oneCyclePhases(
  schedule: OneCycleSchedule,
  step: number,
  first: number,
  peak: number,
  back: number,
  last: number,
): number {
  const rise = riseEnd(schedule);
  const end = schedule.totalSteps - 1;
  if (step <= rise) return anneal(schedule, first, peak, step / rise);
  if (!schedule.threePhase) return anneal(schedule, peak, last, (step - rise) / (end - rise));
  if (step <= 2 * rise) return anneal(schedule, peak, back, (step - rise) / rise);
  return anneal(schedule, back, last, (step - 2 * rise) / (end - 2 * rise));
}

/**
 * The momentum a {@link OneCycleSchedule} gives before optimizer step `step`: PyTorch's
 * `OneCycleLR` momentum, `maxMomentum` → `baseMomentum` → `maxMomentum` (three-phase: then held
 * at `maxMomentum`), annealed as the rate. NaN when `cycleMomentum` is false (the optimizer keeps
 * its configured momentum).
 *
 * @example
 * oneCycleMomentum(oneCycleSchedule({ maxLearningRate: 1, totalSteps: 100 }), 0); // 0.95
 */
export function oneCycleMomentum(schedule: OneCycleSchedule, step: number): number {
  if (!schedule.cycleMomentum) return Number.NaN;
  const { baseMomentum, maxMomentum } = schedule;
  return oneCyclePhases(schedule, step, maxMomentum, baseMomentum, maxMomentum, maxMomentum);
}
