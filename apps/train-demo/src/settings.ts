import type { CliOptions } from './args.js';

/**
 * Every training setting, with the defaults of the chosen model filled in.
 *
 * @example
 * const { epochs, batchSize } = resolveSettings(parseCliArguments(['--model', 'cnn']));
 */
export interface Settings {
  readonly model: CliOptions['model'];
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: NonNullable<CliOptions['optimizer']>;
  readonly learningRate: number;
  readonly schedule: NonNullable<CliOptions['schedule']>;
  readonly seed: number;
  readonly limit: number | null;
  /** Largest random shift of training digits, in pixels; 0 turns augmentation off. */
  readonly shift: number;
  readonly data: string | null;
}

/** Per-model defaults, tuned on this machine (see the README for what each reaches). */
const modelDefaults = {
  mlp: { epochs: 15, batchSize: 32, adamLearningRate: 2e-3 },
  cnn: { epochs: 12, batchSize: 64, adamLearningRate: 1e-3 },
  resnet: { epochs: 15, batchSize: 64, adamLearningRate: 2e-3 },
} as const;

/** Usual learning rates of the other optimizers (0.05 for SGD variants, PyTorch's for the rest). */
const otherLearningRates = { sgd: 0.05, momentum: 0.05, nesterov: 0.05, rmsprop: 1e-3, adagrad: 0.01 } as const;

/**
 * Fills in what the command line left out: the model's epochs and batch size, AdamW with a cosine
 * schedule, the optimizer's usual learning rate, shifts of up to 2 pixels, seed 42.
 *
 * @example
 * resolveSettings(parseCliArguments([])).epochs; // 15
 */
export function resolveSettings(options: CliOptions): Settings {
  const optimizer = options.optimizer ?? 'adamw';
  const defaults = modelDefaults[options.model];
  const usualRate =
    optimizer === 'adam' || optimizer === 'adamw' ? defaults.adamLearningRate : otherLearningRates[optimizer];
  return {
    model: options.model,
    epochs: options.epochs ?? defaults.epochs,
    batchSize: options.batchSize ?? defaults.batchSize,
    optimizer,
    learningRate: options.learningRate ?? usualRate,
    schedule: options.schedule ?? 'cosine',
    seed: options.seed,
    limit: options.limit ?? null,
    shift: options.shift ?? 2,
    data: options.data ?? null,
  };
}
