import { formatValue } from '../annet-error.js';
import { checkFields, invalid, type FieldSpec } from '../validation/fields.js';
import { atLeast, increasingSteps, integerAtLeast, numberIn, oneOf } from '../validation/rules.js';
import { checkConstantSchedule } from './constant.js';
import { checkCosineSchedule } from './cosine.js';
import { checkExponentialSchedule } from './exponential.js';
import { checkLinearWarmupSchedule } from './linear-warmup.js';
import { checkMultiStepSchedule } from './multi-step.js';
import { checkOneCycleSchedule } from './one-cycle.js';
import { checkPolynomialSchedule } from './polynomial.js';
import type {
  LearningRate,
  PureSchedule,
  ReduceLROnPlateauSchedule,
  ScheduleConfig,
  SequentialSchedule,
} from './schedule-types.js';
import { checkStepSchedule } from './step.js';

type Checker = (operation: string, prefix: string, input: unknown) => ScheduleConfig;

const pureCheckers: Readonly<Record<string, Checker>> = {
  constant: checkConstantSchedule,
  step: checkStepSchedule,
  multiStep: checkMultiStepSchedule,
  exponential: checkExponentialSchedule,
  cosine: checkCosineSchedule,
  linearWarmup: checkLinearWarmupSchedule,
  polynomial: checkPolynomialSchedule,
  oneCycle: checkOneCycleSchedule,
  sequential: checkSequentialSchedule,
};

const plateauFields: Readonly<Record<string, FieldSpec>> = {
  learningRate: { rule: () => undefined },
  mode: { rule: oneOf(['min', 'max']), default: 'min' },
  factor: { rule: numberIn(0, 1, { highOpen: true }), default: 0.1 },
  patience: { rule: integerAtLeast(0), default: 10 },
  threshold: { rule: atLeast(0), default: 1e-4 },
  thresholdMode: { rule: oneOf(['rel', 'abs']), default: 'rel' },
  cooldown: { rule: integerAtLeast(0), default: 0 },
  minLearningRate: { rule: atLeast(0), default: 0 },
  epsilon: { rule: atLeast(0), default: 1e-8 },
};

/** Checks a sequential schedule: pure parts, one milestone fewer than parts, increasing. */
function checkSequentialSchedule(operation: string, prefix: string, input: unknown): SequentialSchedule {
  const checked = checkFields(
    operation,
    prefix,
    input,
    { schedules: { rule: () => undefined }, milestones: { rule: increasingSteps } },
    ['type'],
  );
  const parts = checked.schedules;
  if (!Array.isArray(parts) || parts.length === 0)
    invalid(operation, `${prefix}schedules must be a non-empty list of schedules, got ${formatValue(parts)}`);
  const milestones = checked.milestones as number[];
  if (milestones.length !== parts.length - 1) {
    invalid(
      operation,
      `${prefix}milestones must have one entry fewer than schedules (${parts.length - 1}), got ${milestones.length}`,
    );
  }
  const schedules = parts.map((part, index) => checkPureSchedule(operation, `${prefix}schedules[${index}].`, part));
  return { type: 'sequential', schedules, milestones: [...milestones] };
}

/**
 * Checks a pure (stateless) schedule config of any type and returns it normalized, defaults filled.
 * Errors start with `operation` and name fields after `prefix` (such as `learningRate.`).
 *
 * @example
 * checkPureSchedule('myTrainer', 'schedule.', JSON.parse(text)); // throws on a reduceLROnPlateau
 */
export function checkPureSchedule(operation: string, prefix: string, input: unknown): PureSchedule {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  if (type === 'reduceLROnPlateau') {
    invalid(
      operation,
      `${prefix}type "reduceLROnPlateau" cannot be nested; use it only as an optimizer's learningRate (it may wrap this schedule)`,
    );
  }
  const checker = typeof type === 'string' && Object.hasOwn(pureCheckers, type) ? pureCheckers[type] : undefined;
  if (checker === undefined) {
    invalid(
      operation,
      `${prefix}type must be one of ${[...Object.keys(pureCheckers), 'reduceLROnPlateau'].join(', ')}, got ${formatValue(type)}`,
    );
  }
  return checker(operation, prefix, input) as PureSchedule;
}

/**
 * Checks any schedule config, {@link ReduceLROnPlateauSchedule} included, and returns it
 * normalized.
 *
 * @example
 * const schedule = checkSchedule('myTrainer', 'learningRate.', JSON.parse(configText).learningRate);
 */
export function checkSchedule(operation: string, prefix: string, input: unknown): ScheduleConfig {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  if (type !== 'reduceLROnPlateau') return checkPureSchedule(operation, prefix, input);
  const checked = checkFields(operation, prefix, input, plateauFields, ['type']);
  const learningRate =
    typeof checked.learningRate === 'number'
      ? checkLearningRateNumber(operation, `${prefix}learningRate`, checked.learningRate)
      : checkPureSchedule(operation, `${prefix}learningRate.`, checked.learningRate);
  return { ...checked, type: 'reduceLROnPlateau', learningRate } as ReduceLROnPlateauSchedule;
}

function checkLearningRateNumber(operation: string, name: string, value: number): number {
  const problem = atLeast(0)(value);
  if (problem !== undefined) invalid(operation, `${name} ${problem}`);
  return value;
}

/**
 * Checks an optimizer's `learningRate` option: a finite number >= 0 or a schedule config.
 *
 * @example
 * checkLearningRate('Adam', 'learningRate', -1); // throws "Adam: learningRate must be a number >= 0, got -1"
 */
export function checkLearningRate(operation: string, name: string, value: unknown): LearningRate {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return checkSchedule(operation, `${name}.`, value);
  if (typeof value !== 'number')
    invalid(operation, `${name} must be a number >= 0 or a schedule config, got ${formatValue(value)}`);
  return checkLearningRateNumber(operation, name, value);
}
