import { checkFields, type FieldSpec } from '../validation/fields.js';
import { atLeast, increasingSteps } from '../validation/rules.js';
import type { MultiStepSchedule } from './schedule-types.js';

const fields: Readonly<Record<string, FieldSpec>> = {
  initialLearningRate: { rule: atLeast(0) },
  milestones: { rule: increasingSteps },
  gamma: { rule: atLeast(0), default: 0.1 },
};

/**
 * Checks a {@link MultiStepSchedule} config (its `type` may be present) and returns it with
 * defaults; errors start with `operation` and name the field after `prefix`.
 *
 * @example
 * checkMultiStepSchedule('SGD', 'learningRate.', { initialLearningRate: 0.1, milestones: [30, 60] });
 */
export function checkMultiStepSchedule(operation: string, prefix: string, input: unknown): MultiStepSchedule {
  const checked = checkFields(operation, prefix, input, fields, ['type']);
  return {
    type: 'multiStep',
    ...checked,
    milestones: [...(checked.milestones as number[])],
  } as unknown as MultiStepSchedule;
}

/**
 * Decays the learning rate by `gamma` at each milestone step (PyTorch `MultiStepLR`):
 * `lr(step) = initialLearningRate * gamma ** (number of milestones <= step)`.
 *
 * @example
 * const sgd = new SGD({ learningRate: multiStepSchedule({ initialLearningRate: 0.1, milestones: [3000, 6000] }) });
 */
export function multiStepSchedule(options: {
  initialLearningRate: number;
  milestones: readonly number[];
  gamma?: number;
}): MultiStepSchedule {
  return checkMultiStepSchedule('multiStepSchedule', '', options);
}

/**
 * The learning rate of a {@link MultiStepSchedule} before optimizer step `step` (0 for the first).
 *
 * @example
 * multiStepLearningRate(multiStepSchedule({ initialLearningRate: 1, milestones: [2, 5] }), 4); // 0.1
 */
export function multiStepLearningRate(schedule: MultiStepSchedule, step: number): number {
  let passed = 0;
  while (passed < schedule.milestones.length && schedule.milestones[passed] <= step) passed++;
  return schedule.initialLearningRate * schedule.gamma ** passed;
}
