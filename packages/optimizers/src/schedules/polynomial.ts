import { checkFields, type FieldSpec } from '../validation/fields.js';
import { atLeast, integerAtLeast } from '../validation/rules.js';
import type { PolynomialSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  initialLearningRate: { rule: atLeast(0) },
  totalSteps: { rule: integerAtLeast(1) },
  power: { rule: atLeast(0, true), default: 1 },
  finalLearningRate: { rule: atLeast(0), default: 0 },
};

/**
 * Checks a {@link PolynomialSchedule} config (its `type` may be present) and returns it with
 * defaults; errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkPolynomialSchedule('SGD', 'learningRate.', { initialLearningRate: 0.1, totalSteps: 1000 });
 */
export function checkPolynomialSchedule(operation: string, prefix: string, input: unknown): PolynomialSchedule {
  return { type: 'polynomial', ...checkFields(operation, prefix, input, fields, ['type']) } as PolynomialSchedule;
}

/**
 * Polynomial decay (PyTorch `PolynomialLR`, with an optional floor as in Keras `PolynomialDecay`):
 * `lr(step) = (initial - final) * (1 - min(step, T) / T) ** power + final`. `power: 1` is a
 * linear decay.
 *
 * @example
 * const sgd = new SGD({ learningRate: polynomialSchedule({ initialLearningRate: 0.1, totalSteps: 5000, power: 2 }) });
 */
export function polynomialSchedule(options: {
  initialLearningRate: number;
  totalSteps: number;
  power?: number;
  finalLearningRate?: number;
}): PolynomialSchedule {
  return checkPolynomialSchedule('polynomialSchedule', '', options);
}

/**
 * The learning rate of a {@link PolynomialSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * polynomialLearningRate(polynomialSchedule({ initialLearningRate: 1, totalSteps: 4 }), 1); // 0.75
 */
export function polynomialLearningRate(schedule: PolynomialSchedule, step: number): number {
  const remaining = 1 - Math.min(step, schedule.totalSteps) / schedule.totalSteps;
  return (
    (schedule.initialLearningRate - schedule.finalLearningRate) * remaining ** schedule.power +
    schedule.finalLearningRate
  );
}
