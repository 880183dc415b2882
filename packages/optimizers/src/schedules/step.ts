import { checkFields, type FieldSpec } from '../validation/fields.js';
import { atLeast, integerAtLeast } from '../validation/rules.js';
import type { StepSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  initialLearningRate: { rule: atLeast(0) },
  stepSize: { rule: integerAtLeast(1) },
  gamma: { rule: atLeast(0), default: 0.1 },
};

/**
 * Checks a {@link StepSchedule} config (its `type` may be present) and returns it with defaults;
 * errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkStepSchedule('SGD', 'learningRate.', { initialLearningRate: 0.1, stepSize: 100 });
 */
export function checkStepSchedule(operation: string, prefix: string, input: unknown): StepSchedule {
  return { type: 'step', ...checkFields(operation, prefix, input, fields, ['type']) } as StepSchedule;
}

/**
 * Decays the learning rate by `gamma` every `stepSize` steps (PyTorch `StepLR`, counted in
 * optimizer steps): `lr(step) = initialLearningRate * gamma ** floor(step / stepSize)`.
 *
 * @example
 * const sgd = new SGD({ learningRate: stepSchedule({ initialLearningRate: 0.1, stepSize: 1000, gamma: 0.5 }) });
 */
export function stepSchedule(options: { initialLearningRate: number; stepSize: number; gamma?: number }): StepSchedule {
  return checkStepSchedule('stepSchedule', '', options);
}

/**
 * The learning rate of a {@link StepSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * stepLearningRate(stepSchedule({ initialLearningRate: 1, stepSize: 10, gamma: 0.5 }), 25); // 0.25
 */
export function stepLearningRate(schedule: StepSchedule, step: number): number {
  return schedule.initialLearningRate * schedule.gamma ** Math.floor(step / schedule.stepSize);
}
