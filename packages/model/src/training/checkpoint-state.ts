import type { JsonObject, JsonValue } from '@annet/layer-api';
import type { Batch, DataLoader, DataLoaderState } from '@annet/dataset';
import type { Optimizer, OptimizerStateDict, StateArray } from '@annet/optimizers';
import { architectureDifferences, assertArchitectureMatches, checkpointFormat, checkpointFormatVersion, type Checkpoint } from '@annet/serialization';
import { AnnetError, Tensor } from '@annet/tensor';
import type { Callback } from '../callbacks/callback.js';
import type { RunningMean } from '../metrics/mean.js';
import { checkModelState, readModelState, writeModelState } from '../sequential/model-state.js';
import type { Sequential } from '../sequential/sequential.js';
import { annetVersion } from '../version.js';
import type { MetricSet } from './metric-set.js';
import type { RunState } from './run-state.js';

/**
 * Everything of a running `fit` that a checkpoint captures and a resume restores.
 *
 * @example
 * const checkpoint = captureCheckpoint(parts, state);
 */
export interface TrainingParts {
  readonly model: Sequential;
  readonly optimizer: Optimizer;
  readonly loader: DataLoader<unknown, Batch>;
  readonly metrics: MetricSet;
  readonly epochLoss: RunningMean;
  readonly callbacks: readonly Callback[];
  /** Settings a resume must match for the run to continue identically. */
  readonly settings: { readonly seed: number; readonly batchSize: number; readonly epochs: number };
  state?: RunState;
}

const optimizerPrefix = 'optimizer.';
const callbackPrefix = 'callback.';

/**
 * A checkpoint of the run at this moment: after a batch (mid-epoch) or at an epoch's end. Arrays
 * are copied. `epoch` counts completed epochs, `step` optimizer steps; `extra.training` holds the
 * epoch in progress (running loss and metric sums, batches done), `extra.callbacks` each
 * callback's state.
 *
 * @example
 * const checkpoint = captureCheckpoint(parts, state); // what context.checkpoint() returns
 */
export function captureCheckpoint(parts: TrainingParts, state: RunState): Checkpoint {
  const { model, optimizer, loader } = parts;
  const modelState = readModelState(model);
  const tensors: Record<string, Tensor> = { ...modelState.tensors };
  const optimizerState = optimizer.stateDict();
  for (const [key, array] of Object.entries(optimizerState.arrays)) tensors[optimizerPrefix + key] = new Tensor(array.value, array.shape);
  const callbackStates: Record<string, JsonValue> = {};
  for (const callback of parts.callbacks) {
    callbackStates[callback.name] = callback.getState?.() ?? {};
    for (const [key, tensor] of Object.entries(callback.getTensors?.() ?? {})) tensors[`${callbackPrefix}${callback.name}.${key}`] = tensor.clone();
  }
  const midEpoch = !state.atEpochEnd;
  const loaderState = loader.state();
  return {
    format: checkpointFormat,
    formatVersion: checkpointFormatVersion,
    annetVersion,
    tensors,
    architecture: model.getConfig(),
    optimizer: { type: optimizerState.type, config: optimizerState.config, state: optimizerState.state },
    schedule: { learningRate: optimizerState.config.learningRate ?? null, stepCount: optimizer.stepCount, nextLearningRate: optimizer.currentLearningRate() },
    rng: { ...modelState.rng, dataLoader: loaderState.rng as unknown as JsonObject },
    dataLoader: loaderState as unknown as JsonObject,
    epoch: midEpoch ? state.epoch : state.epoch + 1,
    step: state.step,
    history: state.history.getState(),
    extra: {
      fit: { ...parts.settings },
      training: midEpoch
        ? { midEpoch: true, batch: state.batch, samplesInEpoch: state.samplesInEpoch, batchLoss: finiteOrNull(state.batchLoss), epochLoss: parts.epochLoss.state(), metrics: parts.metrics.getState() }
        : { midEpoch: false },
      callbacks: callbackStates,
    },
  };
}

/**
 * Restores a run from a checkpoint of {@link captureCheckpoint}: weights, buffers and layer
 * states, the optimizer (whose configuration must equal the checkpoint's), the loader's position,
 * epoch, step and history, and mid-epoch the running sums. With `callbacksOnly`, restores just the
 * callbacks' states (done after their `onTrainBegin`). Every mismatch throws before anything changes.
 *
 * @example
 * const { midEpoch } = restoreTraining(checkpoint, parts, 'fit');
 */
export function restoreTraining(checkpoint: Checkpoint, parts: TrainingParts, operation: string, options: { callbacksOnly?: boolean } = {}): { midEpoch: boolean } {
  const extra = (checkpoint.extra ?? {}) as { fit?: JsonObject; training?: JsonObject; callbacks?: JsonObject };
  const training = extra.training ?? { midEpoch: false };
  if (options.callbacksOnly) {
    restoreCallbacks(checkpoint, parts.callbacks, (extra.callbacks ?? {}) as JsonObject);
    return { midEpoch: training.midEpoch === true };
  }
  checkCompatible(checkpoint, parts, extra.fit ?? {}, operation);
  const state = parts.state!;
  const arrays: Record<string, StateArray> = {};
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    if (name.startsWith(optimizerPrefix)) arrays[name.slice(optimizerPrefix.length)] = { shape: tensor.shape.slice(), value: floatValues(tensor) };
  }
  const saved = checkpoint.optimizer!;
  // Each of these either fully applies or throws without changing its object; the model is checked
  // first and the loader put back if the optimizer refuses, so a failed resume changes nothing.
  checkModelState(parts.model, checkpoint.tensors, checkpoint.rng, operation);
  const loaderBefore = parts.loader.state();
  parts.loader.loadState(checkpoint.dataLoader as unknown as DataLoaderState);
  try {
    parts.optimizer.loadStateDict({ type: saved.type, config: saved.config, state: saved.state, arrays } as OptimizerStateDict, { strict: true, target: parts.model });
  } catch (error) {
    parts.loader.loadState(loaderBefore);
    throw error;
  }
  writeModelState(parts.model, checkpoint.tensors, checkpoint.rng, operation);
  state.step = checkpoint.step;
  state.epoch = checkpoint.epoch;
  state.history.setState(checkpoint.history as JsonObject);
  if (training.midEpoch === true) {
    state.batch = training.batch as number;
    state.samplesInEpoch = training.samplesInEpoch as number;
    state.batchLoss = typeof training.batchLoss === 'number' ? training.batchLoss : Number.NaN;
    parts.epochLoss.setState(training.epochLoss as JsonObject);
    parts.metrics.setState(training.metrics as JsonObject);
  }
  return { midEpoch: training.midEpoch === true };
}

function checkCompatible(checkpoint: Checkpoint, parts: TrainingParts, fit: JsonObject, operation: string): void {
  assertArchitectureMatches(parts.model.getConfig(), checkpoint.architecture);
  if (checkpoint.optimizer === null) throw new AnnetError('INVALID_ARGUMENT', operation, 'the checkpoint holds no optimizer state; resumeFrom needs a checkpoint taken by fit');
  if (checkpoint.optimizer.type !== parts.optimizer.type) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `the checkpoint was trained with ${checkpoint.optimizer.type}, this fit uses ${parts.optimizer.type}; resume with the same optimizer`);
  }
  const configDifferences = architectureDifferences(checkpoint.optimizer.config, parts.optimizer.config);
  if (configDifferences.length > 0) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `the optimizer's configuration differs from the checkpoint's (${configDifferences.slice(0, 5).join('; ')}); construct it with the same options to resume exactly`);
  }
  if (typeof fit.batchSize === 'number' && fit.batchSize !== parts.settings.batchSize) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `the checkpoint was trained with batchSize ${fit.batchSize}, this fit uses ${parts.settings.batchSize}; use the same batch size to resume exactly`);
  }
  // The seed picks the validationSplit samples: another seed would train on samples the first run validated on.
  if (typeof fit.seed === 'number' && fit.seed !== parts.settings.seed) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `the checkpoint was trained with seed ${fit.seed}, this fit uses ${parts.settings.seed}; use the same seed to resume exactly (it chooses the validationSplit samples)`);
  }
  if (checkpoint.dataLoader === null) throw new AnnetError('INVALID_ARGUMENT', operation, 'the checkpoint holds no data-loader state; resumeFrom needs a checkpoint taken by fit');
}

function restoreCallbacks(checkpoint: Checkpoint, callbacks: readonly Callback[], states: JsonObject): void {
  for (const callback of callbacks) {
    const saved = states[callback.name];
    if (saved !== undefined && saved !== null && typeof saved === 'object' && !Array.isArray(saved)) callback.setState?.(saved as JsonObject);
    if (callback.setTensors) {
      const prefix = `${callbackPrefix}${callback.name}.`;
      const tensors: Record<string, Tensor> = {};
      for (const [name, tensor] of Object.entries(checkpoint.tensors)) if (name.startsWith(prefix)) tensors[name.slice(prefix.length)] = tensor;
      callback.setTensors(tensors);
    }
  }
}

function floatValues(tensor: Tensor): Float32Array | Float64Array {
  const contiguous = tensor.contiguous();
  const data = contiguous.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new AnnetError('DTYPE_MISMATCH', 'restoreTraining', `optimizer arrays must be float32 or float64, got ${tensor.dtype}`);
  }
  return data.subarray(contiguous.offset, contiguous.offset + contiguous.size);
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

