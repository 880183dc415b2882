import type { CliOptions } from '../args.js';

/**
 * Every setting of a `--task tag` run, with the task's defaults filled in.
 *
 * @example
 * resolveTagSettings(parseCliArguments(['--task', 'tag'])).epochs; // 3
 */
export interface TagSettings {
  readonly task: 'tag';
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: NonNullable<CliOptions['optimizer']>;
  readonly learningRate: number;
  readonly schedule: NonNullable<CliOptions['schedule']>;
  readonly seed: number;
  /** Train on a seeded random N training sentences (and evaluate on a quarter as many of each held-out part). */
  readonly limit: number | null;
  /** Width of the word embeddings. */
  readonly embeddingSize: number;
  /** Units of each LSTM direction. */
  readonly hiddenSize: number;
  /** Words seen fewer times in training get their signature's embedding. */
  readonly minFrequency: number;
  /** Dropout rate on the LSTM outputs. */
  readonly dropout: number;
  /** Longest sentence accepted (Brown's longest has 180 tokens). */
  readonly maxLength: number;
}

/** Usual learning rates of the optimizers besides Adam and AdamW. */
const otherLearningRates = { sgd: 0.5, momentum: 0.05, nesterov: 0.05, rmsprop: 1e-3, adagrad: 0.05 } as const;

/**
 * The tag task's defaults: 3 epochs of batches of 32 sentences, AdamW at 3e-3 with a cosine
 * schedule, word embeddings of 64, 64 LSTM units per direction, dropout 0.25, minimum word frequency 2.
 *
 * @example
 * resolveTagSettings(parseCliArguments(['--task', 'tag', '--epochs', '1'])).epochs; // 1
 */
export function resolveTagSettings(options: CliOptions): TagSettings {
  const optimizer = options.optimizer ?? 'adamw';
  return {
    task: 'tag',
    epochs: options.epochs ?? 3,
    batchSize: options.batchSize ?? 32,
    optimizer,
    learningRate:
      options.learningRate ?? (optimizer === 'adam' || optimizer === 'adamw' ? 3e-3 : otherLearningRates[optimizer]),
    schedule: options.schedule ?? 'cosine',
    seed: options.seed,
    limit: options.limit ?? null,
    embeddingSize: 64,
    hiddenSize: 64,
    minFrequency: 2,
    dropout: 0.25,
    maxLength: 200,
  };
}
