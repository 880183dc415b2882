import { checkFields, invalid, type FieldSpec } from '../validation/fields.js';
import { atLeast, integerAtLeast } from '../validation/rules.js';
import type { CosineSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  initialLearningRate: { rule: atLeast(0) },
  totalSteps: { rule: integerAtLeast(1) },
  minLearningRate: { rule: atLeast(0), default: 0 },
  warmupSteps: { rule: integerAtLeast(0), default: 0 },
  warmupStartLearningRate: { rule: atLeast(0), default: 0 },
};

/**
 * Checks a {@link CosineSchedule} config (its `type` may be present) and returns it with defaults;
 * errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkCosineSchedule('Adam', 'learningRate.', { initialLearningRate: 1e-3, totalSteps: 1000 }); // defaults filled in
 */
export function checkCosineSchedule(operation: string, prefix: string, input: unknown): CosineSchedule {
  const schedule = { type: 'cosine', ...checkFields(operation, prefix, input, fields, ['type']) } as CosineSchedule;
  if (schedule.warmupSteps >= schedule.totalSteps) {
    invalid(
      operation,
      `${prefix}warmupSteps must be less than totalSteps (${schedule.totalSteps}), got ${schedule.warmupSteps}`,
    );
  }
  return schedule;
}

/**
 * Cosine annealing (Loshchilov and Hutter, 2017, without restarts) after an optional linear warmup.
 * With `W = warmupSteps`, `T = totalSteps`, `p = min(1, (step - W) / (T - W))`:
 *
 *     step < W:  lr = warmupStart + (initial - warmupStart) * step / W
 *     step >= W: lr = min + (initial - min) * (1 + cos(pi * p)) / 2
 *
 * After `totalSteps` the learning rate stays at `minLearningRate` (the floor).
 *
 * @example
 * const adamW = new AdamW({ learningRate: cosineSchedule({ initialLearningRate: 3e-4, totalSteps: 10_000, warmupSteps: 500, minLearningRate: 3e-5 }) });
 */
export function cosineSchedule(options: {
  initialLearningRate: number;
  totalSteps: number;
  minLearningRate?: number;
  warmupSteps?: number;
  warmupStartLearningRate?: number;
}): CosineSchedule {
  return checkCosineSchedule('cosineSchedule', '', options);
}

/**
 * The learning rate of a {@link CosineSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * cosineLearningRate(cosineSchedule({ initialLearningRate: 1, totalSteps: 10 }), 5); // 0.5
 */
export function cosineLearningRate(schedule: CosineSchedule, step: number): number {
  const { initialLearningRate, minLearningRate, warmupSteps, warmupStartLearningRate, totalSteps } = schedule;
  if (step < warmupSteps) {
    return warmupStartLearningRate + (initialLearningRate - warmupStartLearningRate) * (step / warmupSteps);
  }
  const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
  return minLearningRate + ((initialLearningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress))) / 2;
}
