import { checkFields, type FieldSpec } from '../validation/fields.js';
import { atLeast, integerAtLeast } from '../validation/rules.js';
import type { LinearWarmupSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  learningRate: { rule: atLeast(0) },
  warmupSteps: { rule: integerAtLeast(1) },
  startLearningRate: { rule: atLeast(0), default: 0 },
};

/**
 * Checks a {@link LinearWarmupSchedule} config (its `type` may be present) and returns it with
 * defaults; errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkLinearWarmupSchedule('Adam', 'learningRate.', { learningRate: 1e-3, warmupSteps: 100 });
 */
export function checkLinearWarmupSchedule(operation: string, prefix: string, input: unknown): LinearWarmupSchedule {
  return { type: 'linearWarmup', ...checkFields(operation, prefix, input, fields, ['type']) } as LinearWarmupSchedule;
}

/**
 * Ramps the learning rate linearly from `startLearningRate` to `learningRate` over `warmupSteps`
 * steps, then holds it: `lr(step) = start + (learningRate - start) * min(step, W) / W`.
 * Combine with {@link sequentialSchedule} to decay afterwards.
 *
 * @example
 * const adam = new Adam({ learningRate: linearWarmupSchedule({ learningRate: 1e-3, warmupSteps: 1000 }) });
 */
export function linearWarmupSchedule(options: {
  learningRate: number;
  warmupSteps: number;
  startLearningRate?: number;
}): LinearWarmupSchedule {
  return checkLinearWarmupSchedule('linearWarmupSchedule', '', options);
}

/**
 * The learning rate of a {@link LinearWarmupSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * linearWarmupLearningRate(linearWarmupSchedule({ learningRate: 1, warmupSteps: 4 }), 1); // 0.25
 */
export function linearWarmupLearningRate(schedule: LinearWarmupSchedule, step: number): number {
  if (step >= schedule.warmupSteps) return schedule.learningRate;
  return (
    schedule.startLearningRate + (schedule.learningRate - schedule.startLearningRate) * (step / schedule.warmupSteps)
  );
}
