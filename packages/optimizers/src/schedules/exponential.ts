import { checkFields, type FieldSpec } from '../validation/fields.js';
import { atLeast } from '../validation/rules.js';
import type { ExponentialSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  initialLearningRate: { rule: atLeast(0) },
  gamma: { rule: atLeast(0) },
};

/**
 * Checks an {@link ExponentialSchedule} config (its `type` may be present) and returns it;
 * errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkExponentialSchedule('Adam', 'learningRate.', { initialLearningRate: 1, gamma: 0.99 });
 */
export function checkExponentialSchedule(operation: string, prefix: string, input: unknown): ExponentialSchedule {
  return { type: 'exponential', ...checkFields(operation, prefix, input, fields, ['type']) } as ExponentialSchedule;
}

/**
 * Decays the learning rate by `gamma` every step (PyTorch `ExponentialLR`, counted in optimizer
 * steps): `lr(step) = initialLearningRate * gamma ** step`.
 *
 * @example
 * const adam = new Adam({ learningRate: exponentialSchedule({ initialLearningRate: 1e-3, gamma: 0.9999 }) });
 */
export function exponentialSchedule(options: { initialLearningRate: number; gamma: number }): ExponentialSchedule {
  return checkExponentialSchedule('exponentialSchedule', '', options);
}

/**
 * The learning rate of an {@link ExponentialSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * exponentialLearningRate(exponentialSchedule({ initialLearningRate: 1, gamma: 0.5 }), 3); // 0.125
 */
export function exponentialLearningRate(schedule: ExponentialSchedule, step: number): number {
  return schedule.initialLearningRate * schedule.gamma ** step;
}
