import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';
import { RunningMean } from '../metrics/mean.js';
import { toLoader, type TrainingData } from './data-source.js';
import { LossComputer, type LossSpec } from './loss-spec.js';
import { MetricSet, type MetricSpec } from './metric-set.js';
import type { TrainableModel } from './training-model.js';

/**
 * Runs every batch of `loader` through `model` in inference mode and returns the mean loss
 * (weighted by batch size) and each metric, keyed `prefix + Name` (`validationLoss`,
 * `validationAccuracy`) or plain names without a prefix.
 *
 * @example
 * evaluateLoader(model, loader, new LossComputer('softmaxCrossEntropy'), new MetricSet(['accuracy']), 'validation');
 * // { validationLoss: 0.21, validationAccuracy: 0.94 }
 */
export function evaluateLoader(model: Pick<TrainableModel, 'forward'>, loader: DataLoader<unknown, Batch>, loss: LossComputer, metrics: MetricSet, prefix = ''): Record<string, number> {
  const mean = new RunningMean();
  metrics.reset();
  for (const { inputs, targets } of loader) {
    const predictions = model.forward(inputs, { training: false });
    mean.add(loss.compute(predictions, targets).loss, inputs.shape[0]);
    metrics.update(predictions, targets);
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
  /** The loss to report; default: the loss of the model's last `fit`. */
  readonly loss?: LossSpec;
  /** Metrics to report; default: the metrics of the model's last `fit`. */
  readonly metrics?: readonly MetricSpec[];
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
  readonly loss: LossSpec;
  readonly metrics: readonly MetricSpec[];
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
  return evaluateLoader(model, loader, new LossComputer(lossSpec), new MetricSet(options.metrics ?? setup?.metrics ?? [], operation));
}
