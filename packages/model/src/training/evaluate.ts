import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';
import { RunningMean } from '../metrics/mean.js';
import { BatchArrays } from './batch-arrays.js';
import { isDataLoader, toLoader, type TrainingData } from './data-source.js';
import type { LossSpec } from './loss-spec.js';
import { Objective } from './objective.js';
import { OutputMetrics, type MetricsOption } from './output-metrics.js';
import type { TrainableModel } from './training-model.js';
import { YieldScheduler } from './event-loop-yielder.js';
import { resolveYieldEvery, type YieldEvery } from './yield-every.js';

/**
 * Runs every batch of `loader` through `model` in inference mode and returns the mean loss
 * (weighted by batch size; omitted when `loss` is `null`) and each metric, keyed `prefix + Name`
 * (`validationLoss`, `validationAccuracy`; with several outputs also `validationLoss.digit`,
 * `validationAccuracy.digit`) or plain names without a prefix.
 *
 * @example
 * evaluateLoader(model, loader, new Objective(['output'], { loss: 'softmaxCrossEntropy' }, 'evaluate'), new OutputMetrics(['output'], ['accuracy']), 'validation');
 * // { validationLoss: 0.21, validationAccuracy: 0.94 }
 */
export function evaluateLoader(
  model: Pick<TrainableModel, 'forwardArrays' | 'inputNames' | 'outputNames'>,
  loader: DataLoader<unknown, Batch>,
  loss: Objective | null,
  metrics: OutputMetrics,
  prefix = '',
  operation = 'evaluate',
): Record<string, number> {
  const evaluation = new Evaluation(model, loss, metrics, prefix, operation);
  for (const batch of loader) evaluation.add(batch);
  return evaluation.result();
}

/**
 * {@link evaluateLoader} that hands the thread back to the event loop as `scheduler` says, and
 * reads streams (loaders over an `IterableDataset`) with `for await`.
 *
 * @example
 * await evaluateLoaderAsync(model, loader, objective, metrics, 'validation', 'fit', new YieldScheduler({ kind: 'batches', every: 8 }));
 */
export async function evaluateLoaderAsync(
  model: Pick<TrainableModel, 'forwardArrays' | 'inputNames' | 'outputNames'>,
  loader: DataLoader<unknown, Batch>,
  loss: Objective | null,
  metrics: OutputMetrics,
  prefix: string,
  operation: string,
  scheduler: YieldScheduler,
): Promise<Record<string, number>> {
  const evaluation = new Evaluation(model, loss, metrics, prefix, operation);
  if (loader.batchesPerEpoch === undefined) {
    for await (const batch of loader) {
      evaluation.add(batch);
      const pause = scheduler.afterBatch();
      if (pause !== undefined) await pause;
    }
    return evaluation.result();
  }
  // Map-style: the synchronous iterator (for await would take the loader's async one, which prefetches).
  for (const batch of loader) {
    evaluation.add(batch);
    const pause = scheduler.afterBatch();
    if (pause !== undefined) await pause;
  }
  return evaluation.result();
}

/** One evaluation pass: batch by batch, the running loss and metrics. */
class Evaluation {
  private readonly mean = new RunningMean();
  private readonly inputs: BatchArrays;
  private readonly targets: BatchArrays;

  constructor(
    private readonly model: Pick<TrainableModel, 'forwardArrays' | 'inputNames' | 'outputNames'>,
    private readonly loss: Objective | null,
    private readonly metrics: OutputMetrics,
    private readonly prefix: string,
    operation: string,
  ) {
    this.inputs = new BatchArrays(model.inputNames, 'input', operation);
    this.targets = new BatchArrays(model.outputNames, 'target', operation);
    metrics.reset();
  }

  add(batch: Batch): void {
    const inputArrays = this.inputs.read(batch.inputs);
    const targetArrays = this.targets.read(batch.targets);
    const predictions = this.model.forwardArrays(inputArrays, false);
    const rows = inputArrays[0].shape[0];
    if (this.loss !== null) this.mean.add(this.loss.compute(predictions, targetArrays), rows);
    this.metrics.update(predictions, targetArrays, this.loss?.outputLosses ?? noLosses, rows);
  }

  result(): Record<string, number> {
    const { loss, prefix } = this;
    const logs: Record<string, number> =
      loss === null ? {} : { [prefix === '' ? 'loss' : `${prefix}Loss`]: this.mean.result() };
    this.metrics.writeResults(logs, prefix, loss !== null);
    return logs;
  }
}

/**
 * Options of `Sequential.evaluate`.
 *
 * @example
 * model.evaluate(test, { loss: 'softmaxCrossEntropy', metrics: ['accuracy', 'f1'], batchSize: 500 });
 */
export interface EvaluateOptions {
  /** The loss to report (one, or one per output name); default: the loss of the model's last `fit`. Without either, only the metrics are reported. */
  readonly loss?: LossSpec | Readonly<Record<string, LossSpec>>;
  /** Weights of the outputs' losses in the total `loss`; default: those of the last `fit`, or 1. */
  readonly lossWeights?: Readonly<Record<string, number>>;
  /** Metrics to report (for every output, or per output name); default: the metrics of the model's last `fit`. */
  readonly metrics?: MetricsOption;
  /** Samples per batch when `data` is not a loader; default 256. */
  readonly batchSize?: number;
}

/**
 * What `fit` leaves behind for `evaluate` to default to.
 *
 * @example
 * const setup: TrainingSetup = { loss: 'softmaxCrossEntropy', metrics: ['accuracy'] };
 */
export interface TrainingSetup {
  readonly loss: LossSpec | Readonly<Record<string, LossSpec>>;
  readonly lossWeights?: Readonly<Record<string, number>>;
  readonly metrics: MetricsOption;
}

/**
 * The work behind `Sequential.evaluate`: mean loss and metrics over `data`, in inference mode.
 * With no loss given and no `fit` before, the result holds the metrics alone; with neither a
 * loss nor metrics there is nothing to compute, and it throws.
 *
 * @example
 * evaluateModel(model, { inputs, targets }, { loss: 'meanSquaredError' }, null); // { loss: 0.03 }
 */
export function evaluateModel(
  model: TrainableModel,
  data: TrainingData,
  options: EvaluateOptions,
  setup: TrainingSetup | null,
  operation = `model "${model.name}".evaluate`,
): Record<string, number> {
  const { loader, objective, metrics } = prepareEvaluation(model, data, options, setup, operation);
  if (loader.batchesPerEpoch === undefined)
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'the data is a stream (a DataLoader over an IterableDataset); use evaluateAsync, which reads it with for await',
    );
  return evaluateLoader(model, loader, objective, metrics, '', operation);
}

/**
 * Options of `evaluateAsync`: those of `evaluate`, and how often to yield to the event loop.
 *
 * @example
 * await model.evaluateAsync(test, { metrics: ['accuracy'], yieldEvery: { batches: 4 } });
 */
export interface AsyncEvaluateOptions extends EvaluateOptions {
  /** When to hand the thread back to the event loop; default `'auto'` (see {@link YieldEvery}). */
  readonly yieldEvery?: YieldEvery;
}

/**
 * The work behind `evaluateAsync`: {@link evaluateModel} that yields to the event loop as
 * `yieldEvery` says (so a page stays responsive) and also reads streams.
 *
 * @example
 * await evaluateModelAsync(model, { inputs, targets }, { loss: 'meanSquaredError', yieldEvery: 'batch' }, null); // { loss: 0.03 }
 */
export async function evaluateModelAsync(
  model: TrainableModel,
  data: TrainingData,
  options: AsyncEvaluateOptions,
  setup: TrainingSetup | null,
  operation = `model "${model.name}".evaluateAsync`,
): Promise<Record<string, number>> {
  const { loader, objective, metrics } = prepareEvaluation(model, data, options, setup, operation);
  const scheduler = new YieldScheduler(resolveYieldEvery(options.yieldEvery, false, operation));
  try {
    return await evaluateLoaderAsync(model, loader, objective, metrics, '', operation, scheduler);
  } finally {
    scheduler.close();
  }
}

function prepareEvaluation(
  model: TrainableModel,
  data: TrainingData,
  options: EvaluateOptions,
  setup: TrainingSetup | null,
  operation: string,
): { loader: DataLoader<unknown, Batch>; objective: Objective | null; metrics: OutputMetrics } {
  const lossSpec = options.loss ?? setup?.loss;
  const metricSpecs = options.metrics ?? setup?.metrics ?? [];
  const noMetrics = Array.isArray(metricSpecs)
    ? metricSpecs.length === 0
    : Object.values(metricSpecs).every((list) => list.length === 0);
  if (lossSpec === undefined && noMetrics) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      "nothing to evaluate: pass { loss: 'softmaxCrossEntropy' } (or another loss) and/or { metrics: ['accuracy'] }, or call fit first (its loss and metrics are the defaults)",
    );
  }
  if (isDataLoader(data) && options.batchSize !== undefined && options.batchSize !== data.batchSize) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `batchSize is ${options.batchSize} but the DataLoader passed as data batches ${data.batchSize} samples, and a DataLoader is used as it is; drop batchSize, or build the loader with { batchSize: ${options.batchSize} }`,
    );
  }
  const batchSize = options.batchSize ?? 256;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new AnnetError('INVALID_ARGUMENT', operation, `batchSize must be a positive integer, got ${batchSize}`);
  const loader = toLoader(data, { batchSize, shuffle: false, seed: 0 }, operation);
  const objective =
    lossSpec === undefined
      ? null
      : new Objective(
          model.outputNames,
          {
            loss: lossSpec,
            lossWeights: options.lossWeights ?? (options.loss === undefined ? setup?.lossWeights : undefined),
          },
          operation,
        );
  return { loader, objective, metrics: new OutputMetrics(model.outputNames, metricSpecs, operation) };
}

/** What metrics see as the outputs' losses when no loss is computed. */
const noLosses: readonly number[] = [];
