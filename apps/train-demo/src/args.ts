import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/**
 * The tasks the demo can train: `mnist` (digits, the default), `tag` (part-of-speech tagging
 * of the Brown corpus with a bidirectional LSTM) and `text` (a character-level GPT on Brown).
 *
 * @example
 * taskNames.includes('tag'); // true
 */
export const taskNames = ['mnist', 'tag', 'text'] as const;
/**
 * Flags that only mean something for the MNIST task (a `--task tag` run refuses them).
 *
 * @example
 * mnistOnlyFlags.includes('--shift'); // true
 */
export const mnistOnlyFlags = ['--model', '--shift', '--data'] as const;
/**
 * The model architectures the demo can build.
 *
 * @example
 * modelNames.includes('cnn'); // true
 */
export const modelNames = ['mlp', 'cnn', 'resnet'] as const;
/**
 * The optimizers the demo can use (all from `@annet/optimizers`).
 *
 * @example
 * optimizerNames.join(', '); // 'sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad'
 */
export const optimizerNames = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
/**
 * The learning-rate schedules the demo can use.
 *
 * @example
 * scheduleNames[1]; // 'cosine'
 */
export const scheduleNames = ['constant', 'cosine', 'step', 'onecycle'] as const;

/**
 * Everything the command line chose, validated.
 *
 * @example
 * const options: CliOptions = parseCliArguments(process.argv.slice(2));
 */
export interface CliOptions {
  readonly help: boolean;
  /** What to train (default `mnist`). */
  readonly task: (typeof taskNames)[number];
  readonly model: (typeof modelNames)[number];
  readonly epochs: number | undefined;
  readonly batchSize: number | undefined;
  readonly optimizer: (typeof optimizerNames)[number] | undefined;
  readonly learningRate: number | undefined;
  readonly schedule: (typeof scheduleNames)[number] | undefined;
  readonly seed: number;
  readonly limit: number | undefined;
  readonly shift: number | undefined;
  readonly data: string | undefined;
  readonly checkpoint: string | undefined;
  readonly resume: string | undefined;
  readonly out: string | undefined;
  /** Replace an existing `--checkpoint` file of another run (refused otherwise). */
  readonly overwrite: boolean;
  /** Resume from a checkpoint holding NaN or infinite values (refused otherwise). */
  readonly allowNonFinite: boolean;
  /** Threads sharing each large matrix product (1: none besides the main thread). */
  readonly threads: number;
  /** `--task text`: optimizer steps, steps between validations, model shape, corpus slice, sampling. */
  readonly iterations: number | undefined;
  readonly evalInterval: number | undefined;
  readonly blockSize: number | undefined;
  readonly layers: number | undefined;
  readonly heads: number | undefined;
  readonly embedding: number | undefined;
  readonly characters: number | undefined;
  readonly validationWindows: number | undefined;
  readonly prompt: string | undefined;
  readonly sampleTokens: number | undefined;
  readonly temperature: number | undefined;
  readonly topK: number | undefined;
}

const flags = {
  help: { type: 'boolean', short: 'h' },
  task: { type: 'string' },
  model: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  schedule: { type: 'string' },
  seed: { type: 'string' },
  limit: { type: 'string' },
  shift: { type: 'string' },
  threads: { type: 'string' },
  data: { type: 'string' },
  checkpoint: { type: 'string' },
  resume: { type: 'string' },
  out: { type: 'string' },
  overwrite: { type: 'boolean' },
  'allow-nonfinite': { type: 'boolean' },
  iterations: { type: 'string' },
  'eval-interval': { type: 'string' },
  'block-size': { type: 'string' },
  layers: { type: 'string' },
  heads: { type: 'string' },
  embedding: { type: 'string' },
  chars: { type: 'string' },
  'validation-windows': { type: 'string' },
  prompt: { type: 'string' },
  'sample-tokens': { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
} as const;

/**
 * Parses and validates the command line. Throws a {@link UsageError} naming the flag, the value
 * it got and what it expects, for unknown flags, missing values, stray arguments and bad values.
 *
 * @example
 * parseCliArguments(['--model', 'cnn', '--epochs', '12']).epochs; // 12
 */
export function parseCliArguments(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  // `pnpm demo -- --model cnn` hands the separator through; a leading `--` means nothing here.
  const args = joinNegativeNumbers(argv[0] === '--' ? argv.slice(1) : [...argv]);
  try {
    ({ values } = parseArgs({ args, options: flags, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const text = (name: keyof typeof flags) => values[name] as string | undefined;
  const task = oneOf('--task', text('task') ?? 'mnist', taskNames);
  if (task !== 'mnist') {
    const given = mnistOnlyFlags.find((flag) => values[flag.slice(2)] !== undefined);
    if (given !== undefined)
      throw new UsageError(`${given} is a flag of the MNIST task; --task ${task} does not take it`);
  }
  return {
    help: values.help === true,
    task,
    model: oneOf('--model', text('model') ?? 'mlp', modelNames),
    epochs: integer('--epochs', text('epochs'), 1, 100_000),
    batchSize: integer('--batch-size', text('batch-size'), 1, 1_000_000),
    optimizer: text('optimizer') === undefined ? undefined : oneOf('--optimizer', text('optimizer')!, optimizerNames),
    learningRate: positiveNumber('--lr', text('lr')),
    schedule: text('schedule') === undefined ? undefined : oneOf('--schedule', text('schedule')!, scheduleNames),
    seed: integer('--seed', text('seed'), 0, Number.MAX_SAFE_INTEGER) ?? 42,
    limit: integer('--limit', text('limit'), 1, 10_000_000),
    shift: integer('--shift', text('shift'), 0, 8),
    data: path('--data', text('data')),
    checkpoint: path('--checkpoint', text('checkpoint')),
    resume: path('--resume', text('resume')),
    out: path('--out', text('out')),
    overwrite: values.overwrite === true,
    allowNonFinite: values['allow-nonfinite'] === true,
    threads: integer('--threads', text('threads'), 1, 64) ?? 1,
    iterations: integer('--iterations', text('iterations'), 1, 10_000_000),
    evalInterval: integer('--eval-interval', text('eval-interval'), 1, 10_000_000),
    blockSize: integer('--block-size', text('block-size'), 1, 4096),
    layers: integer('--layers', text('layers'), 1, 64),
    heads: integer('--heads', text('heads'), 1, 64),
    embedding: integer('--embedding', text('embedding'), 1, 4096),
    characters: integer('--chars', text('chars'), 1000, 100_000_000),
    validationWindows: integer('--validation-windows', text('validation-windows'), 1, 1_000_000),
    prompt: text('prompt'),
    sampleTokens: integer('--sample-tokens', text('sample-tokens'), 0, 100_000),
    temperature: nonNegativeNumber('--temperature', text('temperature')),
    topK: integer('--top-k', text('top-k'), 1, 1_000_000),
  };
}

function nonNegativeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new UsageError(`${flag} must be a number >= 0 such as 0.8 (0 is greedy); got ${JSON.stringify(value)}`);
  return parsed;
}

/**
 * `--epochs -1` as `--epochs=-1`: parseArgs reads a value starting with `-` as a flag, which would
 * make the message "needs a value" when the value is there but out of range.
 */
function joinNegativeNumbers(args: string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const name = /^--([\w-]+)$/.exec(args[index])?.[1];
    const next = args[index + 1];
    if (
      name !== undefined &&
      (flags as Record<string, { type: string }>)[name]?.type === 'string' &&
      next !== undefined &&
      /^-(\d|\.\d|Infinity)/.test(next)
    ) {
      joined.push(`${args[index]}=${next}`);
      index++;
    } else joined.push(args[index]);
  }
  return joined;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown flag ${unknown[1]}`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional)
    return `unexpected argument ${JSON.stringify(positional[1])}; every setting is a --flag`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && missing) return `${missing[1]} needs a value`;
  const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && ambiguous) return `${ambiguous[1]} needs a value`;
  return message.split('\n')[0];
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function integer(flag: string, value: string | undefined, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) {
    throw new UsageError(`${flag} must be an integer from ${minimum} to ${maximum}; got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${flag} must be a positive number such as 0.001 or 1e-3; got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function path(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || value.startsWith('--'))
    throw new UsageError(`${flag} needs a path; got ${JSON.stringify(value)}`);
  return value;
}
