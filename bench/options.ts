// The command line of `pnpm bench:train` (see bench/train.ts for what each option does).

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const index = process.argv.indexOf(`--${name}`);
  if (index >= 0 && index + 1 < process.argv.length) return process.argv[index + 1];
  return process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const list = (name: string, fallback: string): string[] => option(name, fallback).split(',').filter(Boolean);

/** Every workload `--models` accepts, in the order they run. */
export const workloadNames = ['mlp', 'cnn', 'gpt', 'lstm', 'resnet'] as const;
/** One of {@link workloadNames}. */
export type WorkloadName = (typeof workloadNames)[number];

for (const name of list('reference-malloc', 'retain'))
  if (name !== 'retain' && name !== 'default')
    throw new Error(`bench:train: --reference-malloc takes retain and/or default, got ${JSON.stringify(name)}`);

const requested = list('models', workloadNames.join(','));
for (const name of requested)
  if (!(workloadNames as readonly string[]).includes(name))
    throw new Error(`bench:train: --models takes ${workloadNames.join(',')}, got ${JSON.stringify(name)}`);

/** The parsed options, with their defaults. */
export const settings = {
  epochs: Number(option('epochs', '3')),
  /** Untimed epochs of the MLP before its timed ones, on both sides (NumPy too): the steady state is what is compared. */
  warmupEpochs: Number(option('warmup-epochs', '1')),
  /** Epochs of the CNN (1: its 3 epochs alone took about 4 minutes over both batch sizes and backends). */
  cnnEpochs: Number(option('cnn-epochs', '1')),
  samples: Number(option('samples', '10000')),
  seed: Number(option('seed', '1')),
  batches: list('batches', '64,256').map(Number),
  models: workloadNames.filter((name) => requested.includes(name)),
  backends: list('backends', 'auto,threads,relaxed,js'),
  cnnBackends: list('cnn-backends', 'auto,threads'),
  /** Backends of the GPT, the LSTM tagger and the ResNet. */
  stepBackends: list('step-backends', 'auto,threads'),
  gptIterations: Number(option('gpt-iterations', '30')),
  lstmIterations: Number(option('lstm-iterations', '60')),
  resnetIterations: Number(option('resnet-iterations', '30')),
  warmup: Number(option('warmup', '3')),
  withReference: !process.argv.includes('--no-numpy') && !process.argv.includes('--no-reference'),
  withPhases: process.argv.includes('--phases'),
  otherNode: option('node', ''),
  /**
   * How the references run glibc's malloc (bench/python.ts): `retain` (freed memory kept) and/or
   * `default`; each listed one runs, the first is what the ratios divide by.
   */
  referenceMalloc: list('reference-malloc', 'retain,default') as Array<'retain' | 'default'>,
} as const;

/**
 * The command line of a child `pnpm bench:train` (relaxed SIMD, another Node): these settings
 * with `overrides`, never --node (the child would start another child).
 *
 * @example
 * childArguments({ models: ['mlp'], backends: ['auto'], withReference: false });
 */
export function childArguments(overrides: Partial<Record<keyof typeof settings, unknown>>): string[] {
  const merged = { ...settings, ...overrides } as typeof settings;
  return [
    ...['--epochs', String(merged.epochs), '--warmup-epochs', String(merged.warmupEpochs)],
    ...['--cnn-epochs', String(merged.cnnEpochs)],
    ...['--samples', String(merged.samples), '--seed', String(merged.seed), '--batches', merged.batches.join(',')],
    ...['--models', merged.models.join(','), '--backends', merged.backends.join(',')],
    ...['--cnn-backends', merged.cnnBackends.join(','), '--step-backends', merged.stepBackends.join(',')],
    ...['--gpt-iterations', String(merged.gptIterations), '--lstm-iterations', String(merged.lstmIterations)],
    ...['--resnet-iterations', String(merged.resnetIterations), '--warmup', String(merged.warmup)],
    ...['--reference-malloc', merged.referenceMalloc.join(',')],
    ...(merged.withReference ? [] : ['--no-reference']),
    ...(merged.withPhases ? ['--phases'] : []),
  ];
}
