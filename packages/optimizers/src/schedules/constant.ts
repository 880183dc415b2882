import { checkFields, type FieldSpec } from '../validation/fields.js';
import { atLeast } from '../validation/rules.js';
import type { ConstantSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  learningRate: { rule: atLeast(0) },
};

/**
 * Checks a {@link ConstantSchedule} config (its `type` may be present) and returns it normalized;
 * errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkConstantSchedule('Adam', 'learningRate.', { type: 'constant', learningRate: 0.1 });
 */
export function checkConstantSchedule(operation: string, prefix: string, input: unknown): ConstantSchedule {
  return { type: 'constant', ...checkFields(operation, prefix, input, fields, ['type']) } as ConstantSchedule;
}

/**
 * A schedule that always gives `learningRate`; the same as passing the number itself.
 *
 * @example
 * const adam = new Adam({ learningRate: constantSchedule({ learningRate: 1e-3 }) });
 */
export function constantSchedule(options: { learningRate: number }): ConstantSchedule {
  return checkConstantSchedule('constantSchedule', '', options);
}

/**
 * The learning rate of a {@link ConstantSchedule} at any step: `learningRate`.
 *
 * @example
 * constantLearningRate(constantSchedule({ learningRate: 0.1 }), 7); // 0.1
 */
export function constantLearningRate(schedule: ConstantSchedule, _step: number): number {
  return schedule.learningRate;
}
