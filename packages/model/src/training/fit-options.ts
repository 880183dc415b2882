import type { JsonObject } from '@annet/layer-api';
import type { Optimizer } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import { AnnetError } from '@annet/tensor';
import type { Callback } from '../callbacks/callback.js';
import type { TrainingData } from './data-source.js';
import type { LossSpec } from './loss-spec.js';
import type { MetricsOption } from './output-metrics.js';
import { resolveYieldEvery, type YieldEvery, type YieldPolicy } from './yield-every.js';

/**
 * Options of `Sequential.fit`.
 *
 * @example
 * const options: FitOptions = { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 10, batchSize: 64, validationSplit: 0.2, metrics: ['accuracy'] };
 */
export interface FitOptions {
  /** Updates the weights after each batch; its schedule sets the learning rate. */
  readonly optimizer: Optimizer;
  /**
   * A loss name from `@annet/layers` (`'softmaxCrossEntropy'`, `'meanSquaredError'`…) or a loss
   * function, for every output; or one per output name (`{ digit: 'softmaxCrossEntropy', box: 'huber' }`).
   */
  readonly loss: LossSpec | Readonly<Record<string, LossSpec>>;
  /** Per output name, the weight of its loss in the total `loss = Σ weight·loss` (default 1 each). */
  readonly lossWeights?: Readonly<Record<string, number>>;
  /** Train until this many epochs are done in total (counting `initialEpoch` or a resumed checkpoint's). */
  readonly epochs: number;
  /** Samples per batch when `trainData` is not a loader; default 32. A loader keeps its own (a different value here is refused). */
  readonly batchSize?: number;
  /** Data to evaluate after every epoch (`validationLoss`, `validationAccuracy`…). */
  readonly validationData?: TrainingData;
  /** Or: hold out this seeded random fraction of `trainData` for validation. */
  readonly validationSplit?: number;
  /** Samples per validation batch; default 256. */
  readonly validationBatchSize?: number;
  /** Visit the training samples in a new seeded order every epoch; default true. */
  readonly shuffle?: boolean;
  /**
   * Seeds the data order and the validation split; and when the model was never initialized
   * with `initialize(seed)`, it is initialized with this seed first. Default 0.
   */
  readonly seed?: number;
  /**
   * Metrics to log besides the loss: names (`'accuracy'`, `'top5Accuracy'`, `'f1'`…) or objects,
   * for every output; or lists per output name (`{ digit: ['accuracy'] }`). With several outputs,
   * logs name the output after a dot (`accuracy.digit`, `validationLoss.box`).
   */
  readonly metrics?: MetricsOption;
  /** Hooks: progress, early stopping, checkpoints… A `History` is always added first. */
  readonly callbacks?: readonly Callback[];
  /** Zero-based epoch to start at (the data order of that epoch is used); default 0. */
  readonly initialEpoch?: number;
  /** Continue exactly where this checkpoint (taken by `fit`) stopped, at an epoch boundary or mid-epoch. */
  readonly resumeFrom?: Checkpoint;
  /**
   * Settings outside `fit` that change the result, such as data augmentation or the data source
   * (`{ shift: 2, data: 'mnist' }`): recorded in every checkpoint (`extra.fit.runSettings`), and a
   * `resumeFrom` whose recorded settings differ (or are missing) is refused, naming the setting.
   */
  readonly runSettings?: JsonObject;
  /**
   * Before every optimizer step, scale all gradients together so that their global L2 norm is at
   * most this (`clipGradNorm` of `@annet/optimizers`, PyTorch's `clip_grad_norm_`). Default: no clipping.
   */
  readonly gradientClipNorm?: number;
  /**
   * Resume from a checkpoint whose weights, buffers or optimizer arrays hold NaN or infinity (a
   * diverged run); refused by default. Default false.
   */
  readonly allowNonFiniteResume?: boolean;
  /**
   * When to hand the thread back to the event loop so a page stays responsive and a worker hears
   * its messages (see {@link YieldEvery}); default `'auto'`: every 20 ms in browsers and workers,
   * in Node only when `signal` is given (every 200 ms).
   */
  readonly yieldEvery?: YieldEvery;
  /**
   * Stops training at the next batch boundary once aborted: `fit` returns normally with
   * `history.stopReason` saying where (`aborted at step 40 (epoch 2, batch 15)`), and every
   * `ModelCheckpoint` (unless `saveOnAbort: false`) saves a mid-epoch checkpoint there, from which
   * `resumeFrom` continues exactly, as after Ctrl-C in the train demo. An already aborted signal
   * stops before the first step.
   */
  readonly signal?: AbortSignal;
  /**
   * Batches per epoch. Needed for nothing, but with it an epoch is that many batches and the data
   * runs on across epochs (a pass ending mid-epoch starts the loader's next pass), as Keras's
   * `steps_per_epoch` and tfjs's `batchesPerEpoch`. Without it an epoch is one full pass of the
   * data: for a stream (a DataLoader over an `IterableDataset`), reading it to its end.
   */
  readonly stepsPerEpoch?: number;
}

/**
 * The options with defaults filled in and checked.
 *
 * @example
 * resolveFitOptions({ optimizer, loss, epochs: 3 }, 'fit').batchSize; // 32
 */
export interface ResolvedFitOptions extends Omit<FitOptions, 'stepsPerEpoch'> {
  readonly batchSize: number;
  readonly validationBatchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly initialEpoch: number;
  /** `batchSize` as given (undefined when defaulted), to refuse a conflict with a passed loader. */
  readonly givenBatchSize: number | undefined;
  readonly stepsPerEpoch: number | null;
  readonly yieldPolicy: YieldPolicy;
}

/**
 * Fills defaults and checks every number, naming the option and the fix on failure.
 *
 * @example
 * resolveFitOptions({ optimizer, loss, epochs: 0 }, 'fit'); // throws: epochs must be an integer >= 1, got 0
 */
export function resolveFitOptions(options: FitOptions, operation: string): ResolvedFitOptions {
  if (typeof options !== 'object' || options === null)
    throw new AnnetError('INVALID_ARGUMENT', operation, 'expected an options object { optimizer, loss, epochs, ... }');
  if (typeof options.optimizer?.step !== 'function')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'options.optimizer must be an optimizer from @annet/optimizers, such as new Adam()',
    );
  if (options.loss === undefined)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      "options.loss is required: a loss name such as 'softmaxCrossEntropy' or a loss function",
    );
  const integer = (name: string, value: number, minimum: number) => {
    if (!Number.isSafeInteger(value) || value < minimum)
      throw new AnnetError('INVALID_ARGUMENT', operation, `${name} must be an integer >= ${minimum}, got ${value}`);
    return value;
  };
  integer('epochs', options.epochs, 1);
  const clip = options.gradientClipNorm;
  if (clip !== undefined && !(typeof clip === 'number' && clip > 0 && Number.isFinite(clip))) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `gradientClipNorm must be a positive number (1 is common), got ${String(clip)}`,
    );
  }
  if (options.signal !== undefined && typeof options.signal?.aborted !== 'boolean')
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'options.signal must be an AbortSignal (new AbortController().signal)',
    );
  if (options.validationData !== undefined && options.validationSplit !== undefined) {
    throw new AnnetError('INVALID_ARGUMENT', operation, 'pass validationData or validationSplit, not both');
  }
  return {
    ...options,
    batchSize: integer('batchSize', options.batchSize ?? 32, 1),
    givenBatchSize: options.batchSize,
    validationBatchSize: integer('validationBatchSize', options.validationBatchSize ?? 256, 1),
    shuffle: options.shuffle ?? true,
    seed: integer('seed', options.seed ?? 0, 0),
    initialEpoch: integer('initialEpoch', options.initialEpoch ?? 0, 0),
    stepsPerEpoch: options.stepsPerEpoch === undefined ? null : integer('stepsPerEpoch', options.stepsPerEpoch, 1),
    yieldPolicy: resolveYieldEvery(options.yieldEvery, options.signal !== undefined, operation),
  };
}
