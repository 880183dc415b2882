import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';
import { RunningMean } from '../metrics/mean.js';
import { BatchArrays } from './batch-arrays.js';
import { toLoader, type TrainingData } from './data-source.js';
import type { LossSpec } from './loss-spec.js';
import { Objective } from './objective.js';
import { OutputMetrics, type MetricsOption } from './output-metrics.js';
import type { TrainableModel } from './training-model.js';

/**
 * Runs every batch of `loader` through `model` in inference mode and returns the mean loss
 * (weighted by batch size) and each metric, keyed `prefix + Name` (`validationLoss`,
 * `validationAccuracy`; with several outputs also `validationLoss.digit`, `validationAccuracy.digit`)
 * or plain names without a prefix.
 *
 * @example
 * evaluateLoader(model, loader, new Objective(['output'], { loss: 'softmaxCrossEntropy' }, 'evaluate'), new OutputMetrics(['output'], ['accuracy']), 'validation');
 * // { validationLoss: 0.21, validationAccuracy: 0.94 }
 */
export function evaluateLoader(model: Pick<TrainableModel, 'forwardArrays' | 'inputNames' | 'outputNames'>, loader: DataLoader<unknown, Batch>, loss: Objective, metrics: OutputMetrics, prefix = '', operation = 'evaluate'): Record<string, number> {
  const mean = new RunningMean();
  const inputs = new BatchArrays(model.inputNames, 'input', operation);
  const targets = new BatchArrays(model.outputNames, 'target', operation);
  metrics.reset();
  for (const batch of loader) {
    const inputArrays = inputs.read(batch.inputs);
    const targetArrays = targets.read(batch.targets);
    const predictions = model.forwardArrays(inputArrays, false);
    const rows = inputArrays[0].shape[0];
    mean.add(loss.compute(predictions, targetArrays), rows);
    metrics.update(predictions, targetArrays, loss.outputLosses, rows);
  }
  const logs: Record<string, number> = { [prefix === '' ? 'loss' : `${prefix}Loss`]: mean.result() };
  metrics.writeResults(logs, prefix);
  return logs;
}

/**
 * Options of `Sequential.evaluate`.
 *
 * @example
 * model.evaluate(test, { loss: 'softmaxCrossEntropy', metrics: ['accuracy', 'f1'], batchSize: 500 });
 */
export interface EvaluateOptions {
  /** The loss to report (one, or one per output name); default: the loss of the model's last `fit`. */
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
 *
 * @example
 * evaluateModel(model, { inputs, targets }, { loss: 'meanSquaredError' }, null); // { loss: 0.03 }
 */
export function evaluateModel(model: TrainableModel, data: TrainingData, options: EvaluateOptions, setup: TrainingSetup | null, operation = `model "${model.name}".evaluate`): Record<string, number> {
  const lossSpec = options.loss ?? setup?.loss;
  if (lossSpec === undefined) {
    throw new AnnetError('INVALID_ARGUMENT', operation, "no loss: pass { loss: 'softmaxCrossEntropy' } (or another loss), or call fit first");
  }
  const batchSize = options.batchSize ?? 256;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new AnnetError('INVALID_ARGUMENT', operation, `batchSize must be a positive integer, got ${batchSize}`);
  const loader = toLoader(data, { batchSize, shuffle: false, seed: 0 }, operation);
  const objective = new Objective(model.outputNames, { loss: lossSpec, lossWeights: options.lossWeights ?? (options.loss === undefined ? setup?.lossWeights : undefined) }, operation);
  return evaluateLoader(model, loader, objective, new OutputMetrics(model.outputNames, options.metrics ?? setup?.metrics ?? [], operation), '', operation);
}
