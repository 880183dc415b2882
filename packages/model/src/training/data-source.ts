import {
  DataLoader,
  MapDataset,
  NamedTensorDataset,
  TensorDataset,
  trainTestSplit,
  type Batch,
  type Sample,
  type TensorRecord,
} from '@annet/dataset';
import { AnnetError, Tensor } from '@annet/tensor';

/**
 * Inputs and targets as tensors whose first dimension indexes samples: one tensor each, or, for a
 * model of several inputs or outputs, records of tensors keyed by input and output name.
 *
 * @example
 * await model.fit({ inputs: images, targets: labels }, options);
 * await graph.fit({ inputs: { image: images, extra: ages }, targets: { digit: labels } }, options);
 */
export interface TensorPair {
  /** One tensor, tensors by input name, or an array of them in input order. */
  readonly inputs: Tensor | TensorRecord | readonly Tensor[];
  /** One tensor, tensors by output name, or an array of them in output order. */
  readonly targets: Tensor | TensorRecord | readonly Tensor[];
}

/**
 * What `fit` and `evaluate` accept: a {@link DataLoader} yielding `{ inputs, targets }` (used as
 * it is: its own batch size, shuffling and seed), a map-style dataset of `{ input, target }`
 * samples, or two tensors.
 *
 * @example
 * await model.fit(new DataLoader(dataset, { batchSize: 64, shuffle: true, seed: 1 }), options);
 */
// `any`, not `unknown`: a loader is invariant in its sample type, so `DataLoader<Sample, Batch>` (what
// `new DataLoader(new TensorDataset(x, y))` is) would not be assignable to `DataLoader<unknown, Batch>`.
export type TrainingData = DataLoader<any, Batch> | MapDataset<Sample> | TensorPair;

/**
 * How to batch data that is not already a loader.
 *
 * @example
 * toLoader({ inputs, targets }, { batchSize: 64, shuffle: true, seed: 1 }, 'fit');
 */
export interface BatchingOptions {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
}

/**
 * True for a loader (rather than a dataset or tensors).
 *
 * @example
 * isDataLoader({ inputs, targets }); // false
 */
export function isDataLoader(data: TrainingData): data is DataLoader<unknown, Batch> {
  return data instanceof DataLoader;
}

/**
 * The data as a map-style dataset; loaders cannot be split or re-batched, so they throw here.
 *
 * @example
 * toDataset({ inputs, targets }, 'fit', 'validationSplit').length; // inputs.shape[0]
 */
export function toDataset(data: TrainingData, operation: string, purpose: string): MapDataset<Sample> {
  if (data instanceof MapDataset) return data;
  if (isDataLoader(data)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${purpose} needs a dataset or tensors, got a DataLoader; pass the loader's dataset, or give validationData explicitly`,
    );
  }
  if (isTensorPair(data)) {
    const { inputs, targets } = data;
    // Plain tensors keep TensorDataset's row-copy fast path; records go through the default collate.
    return inputs instanceof Tensor && targets instanceof Tensor
      ? new TensorDataset(inputs, targets)
      : (new NamedTensorDataset(inputs as TensorRecord, targets as TensorRecord) as unknown as MapDataset<Sample>);
  }
  throw new AnnetError(
    'INVALID_ARGUMENT',
    operation,
    `expected a DataLoader, a dataset or { inputs, targets } tensors, got ${describe(data)}`,
  );
}

/**
 * A loader over `data`: the loader itself when one is given, otherwise a new synchronous loader
 * that reuses its batch arrays (so a steady-state epoch allocates no batch memory).
 *
 * @example
 * for (const { inputs, targets } of toLoader(data, { batchSize: 32, shuffle: true, seed: 0 }, 'fit')) step(inputs, targets);
 */
export function toLoader(data: TrainingData, options: BatchingOptions, operation: string): DataLoader<unknown, Batch> {
  if (isDataLoader(data)) return data;
  const dataset = toDataset(data, operation, 'batching');
  return new DataLoader(dataset, {
    batchSize: options.batchSize,
    shuffle: options.shuffle,
    seed: options.seed,
    reuseBuffers: true,
    prefetch: 0,
  }) as DataLoader<unknown, Batch>;
}

/**
 * Splits off a seeded random `fraction` of `data` for validation (the same seed always picks the
 * same samples), returning the training and validation parts.
 *
 * @example
 * const { train, validation } = splitForValidation({ inputs, targets }, 0.2, 42, 'fit');
 */
export function splitForValidation(
  data: TrainingData,
  fraction: number,
  seed: number,
  operation: string,
): { train: MapDataset<Sample>; validation: MapDataset<Sample> } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `validationSplit must be a fraction in (0, 1), got ${fraction}`,
    );
  }
  const { train, test } = trainTestSplit(toDataset(data, operation, 'validationSplit'), { testSize: fraction, seed });
  return { train, validation: test };
}

function isTensorPair(data: unknown): data is TensorPair {
  if (typeof data !== 'object' || data === null || data instanceof MapDataset || data instanceof DataLoader)
    return false;
  const { inputs, targets } = data as { inputs?: unknown; targets?: unknown };
  return isTensorSide(inputs) && isTensorSide(targets);
}

function isTensorSide(value: unknown): boolean {
  if (value instanceof Tensor) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((entry) => entry instanceof Tensor)
  );
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
}
