import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';
import type { Callback } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { RunningMean } from '../metrics/mean.js';
import { captureCheckpoint } from './capture-checkpoint.js';
import { isDataLoader, splitForValidation, toLoader, type TrainingData } from './data-source.js';
import type { ResolvedFitOptions } from './fit-options.js';
import { BatchArrays } from './batch-arrays.js';
import { BatchFeed } from './batch-feed.js';
import { YieldScheduler } from './event-loop-yielder.js';
import { Objective } from './objective.js';
import { OutputMetrics } from './output-metrics.js';
import { restoreRun } from './restore-run.js';
import { RunState } from './run-state.js';
import type { TrainableModel } from './training-model.js';
import type { TrainingParts } from './training-parts.js';

/** Everything one `fit` call works with, set up and (when resuming) restored. */
export interface Run {
  readonly parts: TrainingParts;
  readonly state: RunState;
  readonly history: History;
  readonly callbacks: readonly Callback[];
  readonly validationLoader: DataLoader<unknown, Batch> | null;
  /** Computes the training loss (every output's, weighted) and its gradients into reused buffers. */
  readonly loss: Objective;
  /** The same loss for validation batches, with buffers of their own shape. */
  readonly validationLoss: Objective;
  /** Reads a batch's inputs into the model's input order. */
  readonly inputs: BatchArrays;
  /** Reads a batch's targets into the model's output order. */
  readonly targets: BatchArrays;
  /** `true` when a mid-epoch checkpoint was restored: the first epoch continues rather than starts. */
  readonly resumeMidEpoch: boolean;
  /** The global gradient norm each step is clipped to, or undefined. */
  readonly gradientClipNorm: number | undefined;
  /** Hands out each epoch's batches (a pass of the loader, or `stepsPerEpoch` of them). */
  readonly feed: BatchFeed;
  /** When to yield to the event loop. */
  readonly scheduler: YieldScheduler;
  /** `fit`'s `signal`, checked before every batch. */
  readonly signal: AbortSignal | undefined;
  /** The operation named in errors. */
  readonly operation: string;
}

/**
 * Builds a run: the validation split, the loaders, metrics, callbacks (History first, `runLast`
 * ones last), the run state; then either restores `resumeFrom` (weights, optimizer, loader, epoch,
 * step, history, the epoch in progress) or moves a loader `fit` built to `initialEpoch`.
 *
 * @example
 * const run = setUpRun(model, { inputs, targets }, resolveFitOptions(options, 'fit'), 'fit');
 */
export function setUpRun(
  model: TrainableModel,
  trainData: TrainingData,
  options: ResolvedFitOptions,
  operation: string,
): Run {
  checkLoaderConflicts(trainData, options, operation);
  if (!model.isInitialized) model.initialize(options.seed);
  let train = trainData;
  let validation = options.validationData;
  if (options.validationSplit !== undefined) {
    ({ train, validation } = splitForValidation(trainData, options.validationSplit, options.seed, operation));
  }
  const loader = toLoader(train, options, operation);
  const validationLoader =
    validation === undefined
      ? null
      : toLoader(validation, { batchSize: options.validationBatchSize, shuffle: false, seed: 0 }, operation);
  const passBatches = loader.batchesPerEpoch;
  if (passBatches === 0) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'the training data yields no batches per epoch (empty, or fewer samples than batchSize with dropLast); fit needs at least one batch',
    );
  }
  // NaN while unknown: a stream without stepsPerEpoch, until its first pass ends.
  const batchesPerEpoch = options.stepsPerEpoch ?? passBatches ?? Number.NaN;
  const history = new History();
  const callbacks = orderCallbacks(history, options.callbacks ?? [], operation);
  const parts: TrainingParts = {
    model,
    optimizer: options.optimizer,
    loader,
    metrics: new OutputMetrics(model.outputNames, options.metrics, operation),
    epochLoss: new RunningMean(),
    callbacks,
    settings: {
      seed: options.seed,
      batchSize: loader.batchSize,
      epochs: options.epochs,
      ...(options.runSettings === undefined ? {} : { runSettings: options.runSettings }),
      ...(options.stepsPerEpoch === null ? {} : { stepsPerEpoch: options.stepsPerEpoch }),
    },
  };
  const state = new RunState(
    model,
    options.optimizer,
    options.epochs,
    batchesPerEpoch,
    epochSamples(loader, passBatches, options.stepsPerEpoch),
    history,
    (current) => captureCheckpoint(parts, current),
  );
  let resumeMidEpoch = false;
  if (options.resumeFrom !== undefined) {
    resumeMidEpoch = restoreRun(options.resumeFrom, parts, state, operation, {
      runSettings: options.runSettings,
      allowNonFinite: options.allowNonFiniteResume,
    }).midEpoch;
  } else {
    state.epoch = options.initialEpoch;
    if (loader !== trainData) loader.setEpoch(options.initialEpoch);
  }
  const loss = new Objective(model.outputNames, options, operation);
  const validationLoss = new Objective(model.outputNames, options, operation);
  const feed = new BatchFeed(loader, options.stepsPerEpoch, operation);
  const scheduler = new YieldScheduler(options.yieldPolicy);
  const arrays = {
    inputs: new BatchArrays(model.inputNames, 'input', operation),
    targets: new BatchArrays(model.outputNames, 'target', operation),
  };
  return {
    parts,
    state,
    history,
    callbacks,
    validationLoader,
    loss,
    validationLoss,
    ...arrays,
    resumeMidEpoch,
    gradientClipNorm: options.gradientClipNorm,
    feed,
    scheduler,
    signal: options.signal,
    operation,
  };
}

/** A loader brings its own batch size and order: a different `batchSize` or `shuffle` beside it would be ignored, so it is refused. */
function checkLoaderConflicts(trainData: TrainingData, options: ResolvedFitOptions, operation: string): void {
  if (!isDataLoader(trainData)) return;
  if (options.givenBatchSize !== undefined && options.givenBatchSize !== trainData.batchSize) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `batchSize is ${options.givenBatchSize} but the DataLoader passed as data batches ${trainData.batchSize} samples, and a DataLoader is used as it is; drop batchSize, or build the loader with { batchSize: ${options.givenBatchSize} }`,
    );
  }
}

/** History first, then the given callbacks in order, those marked `runLast` at the end; names must be unique. */
function orderCallbacks(history: History, given: readonly Callback[], operation: string): Callback[] {
  const ordered = [
    history,
    ...given.filter((callback) => !callback.runLast),
    ...given.filter((callback) => callback.runLast),
  ];
  const names = new Set<string>();
  for (const callback of ordered) {
    if (typeof callback?.name !== 'string')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        'every callback needs a string name (the key of its state in checkpoints)',
      );
    if (names.has(callback.name)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `two callbacks are named ${JSON.stringify(callback.name)}; names key their checkpoint state, so give one a different name${callback.name === 'history' ? ' (fit adds a History itself)' : ''}`,
      );
    }
    names.add(callback.name);
  }
  return ordered;
}

function epochSamples(
  loader: DataLoader<unknown, Batch>,
  passBatches: number | undefined,
  stepsPerEpoch: number | null,
): number {
  if (stepsPerEpoch !== null) return stepsPerEpoch * loader.batchSize;
  if (passBatches === undefined) return Number.NaN;
  return samplesPerPass(loader, passBatches);
}

function samplesPerPass(loader: DataLoader<unknown, Batch>, batches: number): number {
  const length = (loader.dataset as { length?: number }).length ?? batches * loader.batchSize;
  return loader.dropLast ? batches * loader.batchSize : length;
}
