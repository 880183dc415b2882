import { checkSchedule } from './check-schedule.js';
import { learningRateAt } from './learning-rate-at.js';
import type { PlateauState, PureSchedule, ReduceLROnPlateauSchedule } from './schedule-types.js';

/** Options of {@link reduceLROnPlateau}; every one but `learningRate` has PyTorch's default. */
export interface ReduceLROnPlateauOptions {
  /** The learning rate before any reduction: a number or a pure schedule. */
  readonly learningRate: number | PureSchedule;
  /** `'min'` when a lower metric is better (a loss), `'max'` when higher is (an accuracy). Default `'min'`. */
  readonly mode?: 'min' | 'max';
  /** Multiplier applied at each reduction, in [0, 1). Default 0.1. */
  readonly factor?: number;
  /** Observations without improvement tolerated before reducing. Default 10. */
  readonly patience?: number;
  /** Smallest change that counts as an improvement. Default 1e-4. */
  readonly threshold?: number;
  /** `'rel'`: improvement beyond `best * (1 -/+ threshold)`; `'abs'`: beyond `best -/+ threshold`. Default `'rel'`. */
  readonly thresholdMode?: 'rel' | 'abs';
  /** Observations to wait after a reduction before counting bad ones again. Default 0. */
  readonly cooldown?: number;
  /** Floor of the learning rate. Default 0. */
  readonly minLearningRate?: number;
  /** A reduction smaller than this is skipped. Default 1e-8. */
  readonly epsilon?: number;
}

/**
 * Reduces the learning rate by `factor` when a metric has not improved for more than `patience`
 * observations (PyTorch `ReduceLROnPlateau`). Pass it as an optimizer's `learningRate` and report
 * the metric with `optimizer.observeMetric(validationLoss)`, typically once per epoch; its state
 * is saved and restored with the optimizer.
 *
 * @example
 * const adam = new Adam({ learningRate: reduceLROnPlateau({ learningRate: 1e-3, patience: 3 }) });
 * // after each epoch:
 * adam.observeMetric(validationLoss);
 */
export function reduceLROnPlateau(options: ReduceLROnPlateauOptions): ReduceLROnPlateauSchedule {
  return checkSchedule('reduceLROnPlateau', '', { ...options, type: 'reduceLROnPlateau' }) as ReduceLROnPlateauSchedule;
}

/**
 * The state before any observation: no best yet, no reduction.
 *
 * @example
 * initialPlateauState(); // { best: null, badEpochs: 0, cooldownCounter: 0, scale: 1 }
 */
export function initialPlateauState(): PlateauState {
  return { best: null, badEpochs: 0, cooldownCounter: 0, scale: 1 };
}

function isImprovement(schedule: ReduceLROnPlateauSchedule, metric: number, best: number | null): boolean {
  const minimizing = schedule.mode === 'min';
  const reference = best ?? (minimizing ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
  if (schedule.thresholdMode === 'rel') {
    return minimizing ? metric < reference * (1 - schedule.threshold) : metric > reference * (schedule.threshold + 1);
  }
  return minimizing ? metric < reference - schedule.threshold : metric > reference + schedule.threshold;
}

/**
 * The plateau state after observing `metric` at optimizer step `step` (pure: returns a new state).
 * Follows PyTorch's `ReduceLROnPlateau.step`: an improvement resets the bad count; otherwise it
 * grows; during cooldown it stays 0; once it exceeds `patience` the scale is multiplied by
 * `factor` (unless the learning rate would drop by `epsilon` or less) and cooldown starts.
 *
 * @example
 * let state = initialPlateauState();
 * state = observePlateau(schedule, state, 0.42, optimizer.stepCount);
 */
export function observePlateau(
  schedule: ReduceLROnPlateauSchedule,
  state: PlateauState,
  metric: number,
  step: number,
): PlateauState {
  let { best, badEpochs, cooldownCounter, scale } = state;
  if (isImprovement(schedule, metric, best)) {
    best = metric;
    badEpochs = 0;
  } else {
    badEpochs += 1;
  }
  if (cooldownCounter > 0) {
    cooldownCounter -= 1;
    badEpochs = 0;
  }
  if (badEpochs > schedule.patience) {
    const current = learningRateAt(schedule, step, { best, badEpochs, cooldownCounter, scale });
    const reduced = Math.max(current * schedule.factor, schedule.minLearningRate);
    if (current - reduced > schedule.epsilon) scale *= schedule.factor;
    cooldownCounter = schedule.cooldown;
    badEpochs = 0;
  }
  return { best, badEpochs, cooldownCounter, scale };
}
