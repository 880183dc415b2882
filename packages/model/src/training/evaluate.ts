import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';
import { RunningMean } from '../metrics/mean.js';
import { BatchArrays } from './batch-arrays.js';
import { isDataLoader, toLoader, type TrainingData } from './data-source.js';
import type { LossSpec } from './loss-spec.js';
import { Objective } from './objective.js';
import { OutputMetrics, type MetricsOption } from './output-metrics.js';
import type { TrainableModel } from './training-model.js';

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
export function evaluateLoader(model: Pick<TrainableModel, 'forwardArrays' | 'inputNames' | 'outputNames'>, loader: DataLoader<unknown, Batch>, loss: Objective | null, metrics: OutputMetrics, prefix = '', operation = 'evaluate'): Record<string, number> {
  const mean = new RunningMean();
  const inputs = new BatchArrays(model.inputNames, 'input', operation);
  const targets = new BatchArrays(model.outputNames, 'target', operation);
  metrics.reset();
  for (const batch of loader) {
    const inputArrays = inputs.read(batch.inputs);
    const targetArrays = targets.read(batch.targets);
    const predictions = model.forwardArrays(inputArrays, false);
    const rows = inputArrays[0].shape[0];
    if (loss !== null) mean.add(loss.compute(predictions, targetArrays), rows);
    metrics.update(predictions, targetArrays, loss?.outputLosses ?? noLosses, rows);
  }
  const logs: Record<string, number> = loss === null ? {} : { [prefix === '' ? 'loss' : `${prefix}Loss`]: mean.result() };
  metrics.writeResults(logs, prefix, loss !== null);
  return logs;
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
export function evaluateModel(model: TrainableModel, data: TrainingData, options: EvaluateOptions, setup: TrainingSetup | null, operation = `model "${model.name}".evaluate`): Record<string, number> {
  const lossSpec = options.loss ?? setup?.loss;
  const metricSpecs = options.metrics ?? setup?.metrics ?? [];
  const noMetrics = Array.isArray(metricSpecs) ? metricSpecs.length === 0 : Object.values(metricSpecs).every((list) => list.length === 0);
  if (lossSpec === undefined && noMetrics) {
    throw new AnnetError('INVALID_ARGUMENT', operation, "nothing to evaluate: pass { loss: 'softmaxCrossEntropy' } (or another loss) and/or { metrics: ['accuracy'] }, or call fit first (its loss and metrics are the defaults)");
  }
  if (isDataLoader(data) && options.batchSize !== undefined && options.batchSize !== data.batchSize) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `batchSize is ${options.batchSize} but the DataLoader passed as data batches ${data.batchSize} samples, and a DataLoader is used as it is; drop batchSize, or build the loader with { batchSize: ${options.batchSize} }`);
  }
  const batchSize = options.batchSize ?? 256;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new AnnetError('INVALID_ARGUMENT', operation, `batchSize must be a positive integer, got ${batchSize}`);
  const loader = toLoader(data, { batchSize, shuffle: false, seed: 0 }, operation);
  const objective = lossSpec === undefined ? null : new Objective(model.outputNames, { loss: lossSpec, lossWeights: options.lossWeights ?? (options.loss === undefined ? setup?.lossWeights : undefined) }, operation);
  return evaluateLoader(model, loader, objective, new OutputMetrics(model.outputNames, metricSpecs, operation), '', operation);
}

/** What metrics see as the outputs' losses when no loss is computed. */
const noLosses: readonly number[] = [];
