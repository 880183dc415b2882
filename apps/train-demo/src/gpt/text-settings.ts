import type { CliOptions } from '../args.js';
import { UsageError } from '../errors.js';

/**
 * Every setting of `--task text`, with nanoGPT's CPU "baby GPT" as the defaults: 4 layers, 4 heads,
 * embedding 128, block 64, batch 12, dropout 0, AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on
 * weights of rank ≥ 2), gradient clipping at norm 1, 2,000 iterations, a constant learning rate
 * (`--schedule cosine`: 100 warmup steps, then cosine decay to lr/10, as nanoGPT's shakespeare_char).
 *
 * @example
 * const settings = resolveTextSettings(parseCliArguments(['--task', 'text', '--iterations', '200']));
 */
export interface TextSettings {
  readonly iterations: number;
  /** Steps between validations, samples and checkpoints (one "epoch" of `fit`). */
  readonly evalInterval: number;
  readonly batchSize: number;
  readonly blockSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly embedding: number;
  readonly learningRate: number;
  readonly schedule: 'constant' | 'cosine';
  readonly warmupSteps: number;
  readonly weightDecay: number;
  readonly beta2: number;
  readonly gradientClipNorm: number;
  readonly seed: number;
  /** Use only the first N characters of the corpus (tiny runs and tests), or null for all. */
  readonly characters: number | null;
  /** Validation windows evaluated at every interval (a fixed seeded sample). */
  readonly validationWindows: number;
  readonly sampleTokens: number;
  readonly prompt: string;
  readonly temperature: number;
  readonly topK: number;
}

/**
 * Fills in the defaults and checks that the numbers fit together.
 *
 * @example
 * resolveTextSettings(parseCliArguments(['--task', 'text'])).iterations; // 2000
 */
export function resolveTextSettings(options: CliOptions): TextSettings {
  const iterations = options.iterations ?? 2000;
  const evalInterval = options.evalInterval ?? Math.min(250, iterations);
  if (iterations % evalInterval !== 0)
    throw new UsageError(
      `--iterations ${iterations} must be a multiple of --eval-interval ${evalInterval} (validations and checkpoints fall on interval boundaries)`,
    );
  const embedding = options.embedding ?? 128;
  const heads = options.heads ?? 4;
  if (embedding % heads !== 0) throw new UsageError(`--embedding ${embedding} must be divisible by --heads ${heads}`);
  const schedule = options.schedule ?? 'constant';
  if (schedule !== 'constant' && schedule !== 'cosine')
    throw new UsageError(`--schedule for --task text must be constant or cosine; got ${schedule}`);
  return {
    iterations,
    evalInterval,
    embedding,
    heads,
    schedule,
    batchSize: options.batchSize ?? 12,
    blockSize: options.blockSize ?? 64,
    layers: options.layers ?? 4,
    learningRate: options.learningRate ?? 1e-3,
    warmupSteps: Math.min(100, Math.floor(iterations / 10)),
    weightDecay: 0.1,
    beta2: 0.99,
    gradientClipNorm: 1,
    seed: options.seed,
    characters: options.characters ?? null,
    validationWindows: options.validationWindows ?? 480,
    sampleTokens: options.sampleTokens ?? 200,
    prompt: options.prompt ?? 'The ',
    temperature: options.temperature ?? 0.8,
    topK: options.topK ?? 20,
  };
}
