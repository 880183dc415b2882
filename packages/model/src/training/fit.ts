import type { Batch, DataLoader } from '@annet/dataset';
import { AnnetError } from '@annet/tensor';
import type { Callback, EpochLogs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { RunningMean } from '../metrics/mean.js';
import type { Sequential } from '../sequential/sequential.js';
import { captureCheckpoint, restoreTraining, type TrainingParts } from './checkpoint-state.js';
import { splitForValidation, toLoader, type TrainingData } from './data-source.js';
import { evaluateLoader } from './evaluate.js';
import { resolveFitOptions, type FitOptions } from './fit-options.js';
import { LossComputer } from './loss-spec.js';
import { MetricSet } from './metric-set.js';
import { RunState } from './run-state.js';

/**
 * The training loop behind `Sequential.fit`: per batch forward, loss, backward, optimizer step,
 * metrics and `onBatchEnd`; per epoch validation, logs and `onEpochEnd`. Every buffer of the step
 * (layer outputs and gradients, the loss gradient, the batch arrays of loaders it builds) is
 * reused, so a steady-state step allocates no array memory.
 *
 * @example
 * const history = await fitModel(model, { inputs, targets }, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 5 });
 */
export async function fitModel(model: Sequential, trainData: TrainingData, rawOptions: FitOptions): Promise<History> {
  const operation = `Sequential "${model.name}".fit`;
  const options = resolveFitOptions(rawOptions, operation);
  if (!model.isInitialized) model.initialize(options.seed);
  let train = trainData;
  let validation = options.validationData;
  if (options.validationSplit !== undefined) {
    const split = splitForValidation(trainData, options.validationSplit, options.seed, operation);
    train = split.train;
    validation = split.validation;
  }
  const loader = toLoader(train, options, operation);
  const validationLoader = validation === undefined ? null : toLoader(validation, { batchSize: options.validationBatchSize, shuffle: false, seed: 0 }, operation);
  const batchesPerEpoch = loader.batchesPerEpoch;
  if (batchesPerEpoch === undefined || batchesPerEpoch === 0) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `the training data yields no batches per epoch (${batchesPerEpoch === undefined ? 'a stream of unknown length' : 'empty, or fewer samples than batchSize with dropLast'}); fit needs a map-style dataset with at least one batch`);
  }
  const history = new History();
  const callbacks = orderCallbacks(history, options.callbacks ?? [], operation);
  const parts: TrainingParts = {
    model,
    optimizer: options.optimizer,
    loader,
    metrics: new MetricSet(options.metrics, operation),
    epochLoss: new RunningMean(),
    callbacks,
    settings: { seed: options.seed, batchSize: loader.batchSize, epochs: options.epochs },
  };
  const state = new RunState(model, options.optimizer, options.epochs, batchesPerEpoch, samplesPerEpoch(loader, batchesPerEpoch), history, (current) => captureCheckpoint(parts, current));
  parts.state = state;
  let resumeMidEpoch = false;
  if (options.resumeFrom !== undefined) {
    resumeMidEpoch = restoreTraining(options.resumeFrom, parts, operation).midEpoch;
  } else {
    state.epoch = options.initialEpoch;
    if (loader !== trainData) loader.setEpoch(options.initialEpoch);
  }
  for (const callback of callbacks) {
        const result = callback.onTrainBegin?.(state);
        if (result !== undefined) await result;
      }
  if (options.resumeFrom !== undefined) restoreTraining(options.resumeFrom, parts, operation, { callbacksOnly: true });
  const loss = new LossComputer(options.loss);
  const validationLoss = new LossComputer(options.loss);
  const batchLogs: Record<string, number> = {};
  while (state.epoch < options.epochs && state.stopReason === null) {
    if (!resumeMidEpoch) {
      parts.epochLoss.reset();
      parts.metrics.reset();
      state.batch = 0;
      state.samplesInEpoch = 0;
      for (const callback of callbacks) {
        const result = callback.onEpochBegin?.(state);
        if (result !== undefined) await result;
      }
    }
    resumeMidEpoch = false;
    const started = performance.now();
    const samplesAtStart = state.samplesInEpoch;
    for (const { inputs, targets } of loader) {
      const predictions = model.forward(inputs, { training: true });
      const { loss: value, gradient } = loss.compute(predictions, targets);
      parts.metrics.update(predictions, targets);
      model.backward(gradient);
      options.optimizer.step(model);
      const rows = inputs.shape[0];
      state.step++;
      state.batch++;
      state.samplesInEpoch += rows;
      state.batchLoss = value;
      parts.epochLoss.add(value, rows);
      batchLogs.loss = parts.epochLoss.result();
      parts.metrics.writeResults(batchLogs);
      for (const callback of callbacks) {
        const result = callback.onBatchEnd?.(batchLogs, state);
        if (result !== undefined) await result;
      }
      if (state.stopReason !== null) break;
    }
    if (state.stopReason !== null) break;
    const trainingSeconds = (performance.now() - started) / 1000;
    const logs: Record<string, number> = { loss: parts.epochLoss.result() };
    parts.metrics.writeResults(logs);
    if (validationLoader !== null) Object.assign(logs, evaluateLoader(model, validationLoader, validationLoss, parts.metrics, 'validation'));
    logs.learningRate = options.optimizer.currentLearningRate();
    logs.seconds = (performance.now() - started) / 1000;
    logs.samplesPerSecond = trainingSeconds > 0 ? (state.samplesInEpoch - samplesAtStart) / trainingSeconds : 0;
    state.atEpochEnd = true;
    for (const callback of callbacks) {
        const result = callback.onEpochEnd?.(logs as EpochLogs, state);
        if (result !== undefined) await result;
      }
    state.atEpochEnd = false;
    state.epoch++;
  }
  for (const callback of callbacks) {
        const result = callback.onTrainEnd?.(state);
        if (result !== undefined) await result;
      }
  history.stopReason = state.stopReason;
  return history;
}

/** History first, then the given callbacks in order, those marked `runLast` at the end; names must be unique. */
function orderCallbacks(history: History, given: readonly Callback[], operation: string): Callback[] {
  const ordered = [history, ...given.filter((callback) => !callback.runLast), ...given.filter((callback) => callback.runLast)];
  const names = new Set<string>();
  for (const callback of ordered) {
    if (typeof callback?.name !== 'string') throw new AnnetError('INVALID_ARGUMENT', operation, 'every callback needs a string name (the key of its state in checkpoints)');
    if (names.has(callback.name)) {
      throw new AnnetError('INVALID_ARGUMENT', operation, `two callbacks are named ${JSON.stringify(callback.name)}; names key their checkpoint state, so give one a different name${callback.name === 'history' ? ' (fit adds a History itself)' : ''}`);
    }
    names.add(callback.name);
  }
  return ordered;
}

function samplesPerEpoch(loader: DataLoader<unknown, Batch>, batches: number): number {
  const length = (loader.dataset as { length?: number }).length ?? batches * loader.batchSize;
  return loader.dropLast ? batches * loader.batchSize : length;
}
