import type { JsonObject } from '@annet/layer-api';
import type { DataLoaderState } from '@annet/dataset';
import { parseCheckpointTensorName, type Checkpoint } from '@annet/serialization';
import type { OptimizerStateDict, StateArray } from '@annet/optimizers';
import { AnnetError, type RngState, type Tensor } from '@annet/tensor';
import { History } from '../callbacks/history.js';
import { RunningMean } from '../metrics/mean.js';
import { checkModelState, writeModelState } from '../sequential/model-state.js';
import { optimizerArraysOf } from './checkpoint-names.js';
import { checkResumeCompatible } from './resume-compatibility.js';
import type { RunState } from './run-state.js';
import type { TrainingParts } from './training-parts.js';

/**
 * How {@link restoreRun} treats a checkpoint.
 *
 * @example
 * const options: RestoreOptions = { runSettings: { shift: 2 }, allowNonFinite: false };
 */
export interface RestoreOptions {
  /** Settings outside `fit` that change the result; they must equal the checkpoint's (see `FitOptions.runSettings`). */
  readonly runSettings?: JsonObject;
  /** Accept NaN or infinite weights, buffers or optimizer arrays (refused by default: they mean a diverged run). */
  readonly allowNonFinite?: boolean;
}

/** The epoch in progress, read from `extra.training`. */
interface EpochInProgress {
  readonly batch: number;
  readonly samplesInEpoch: number;
  readonly batchLoss: number;
  readonly epochLoss: JsonObject;
  readonly metrics: JsonObject;
}

/**
 * Restores a run from a checkpoint of `captureCheckpoint`: weights, buffers and layer states, the
 * optimizer (whose configuration must equal the checkpoint's), the loader's position, epoch, step
 * and history, and mid-epoch the running sums. Callback states come back separately
 * (`restoreCallbackStates`, after their `onTrainBegin`). All or nothing: everything is read and
 * checked first (compatibility, every array's shape, dtype and finiteness, the history, the epoch
 * in progress), then applied; if the loader or the optimizer refuses its state, what was already
 * set is put back, so a failed resume changes nothing.
 *
 * @example
 * const { midEpoch } = restoreRun(checkpoint, parts, state, 'fit');
 */
export function restoreRun(
  checkpoint: Checkpoint,
  parts: TrainingParts,
  state: RunState,
  operation: string,
  options: RestoreOptions = {},
): { midEpoch: boolean } {
  checkResumeCompatible(checkpoint, parts, options.runSettings, operation);
  checkModelState(parts.model, checkpoint.tensors, checkpoint.rng, operation, { dtype: 'exact' });
  const optimizerArrays = readOptimizerArrays(checkpoint.tensors, parts, operation);
  if (options.allowNonFinite !== true) checkFinite(checkpoint.tensors, operation);
  const position = readPosition(checkpoint, operation);
  const epochInProgress = readEpochInProgress(checkpoint, operation);
  const history = new History();
  history.setState(checkpoint.history as JsonObject);
  if (epochInProgress !== null) {
    new RunningMean().setState(epochInProgress.epochLoss);
    parts.metrics.setState(epochInProgress.metrics);
  }
  // Applied in an order that can be undone: the metric sums, the layers' states (Dropout's mask
  // generator), the initialization stream and the loader first, then the optimizer (which
  // applies fully or not at all); what follows cannot fail.
  const { model } = parts;
  const loaderBefore = parts.loader.state();
  const layerStatesBefore = model.layers.map((layer) => layer.getState?.());
  const initializationBefore = model.initializationState();
  try {
    for (const layer of model.layers) layer.setState?.(checkpoint.rng[layer.name] as JsonObject);
    const initialization = checkpoint.rng.initialization;
    if (typeof initialization === 'object' && initialization !== null)
      model.restoreInitializationState(initialization as unknown as RngState);
    parts.loader.loadState(checkpoint.dataLoader as unknown as DataLoaderState);
    const saved = checkpoint.optimizer!;
    parts.optimizer.loadStateDict(
      { type: saved.type, config: saved.config, state: saved.state, arrays: optimizerArrays } as OptimizerStateDict,
      { strict: true, target: parts.model },
    );
  } catch (error) {
    model.layers.forEach((layer, index) => {
      const before = layerStatesBefore[index];
      if (before !== undefined) layer.setState?.(before);
    });
    if (initializationBefore !== null) model.restoreInitializationState(initializationBefore);
    parts.loader.loadState(loaderBefore);
    parts.metrics.reset();
    throw error;
  }
  writeModelState(parts.model, checkpoint.tensors, checkpoint.rng, operation, { dtype: 'exact' });
  state.step = position.step;
  state.epoch = position.epoch;
  state.history.setState(checkpoint.history as JsonObject);
  if (epochInProgress !== null) {
    state.batch = epochInProgress.batch;
    state.samplesInEpoch = epochInProgress.samplesInEpoch;
    state.batchLoss = epochInProgress.batchLoss;
    parts.epochLoss.setState(epochInProgress.epochLoss);
  }
  return { midEpoch: epochInProgress !== null };
}

/** The optimizer's arrays as `stateDict` arrays, each checked to have its parameter's dtype. */
function readOptimizerArrays(
  tensors: Readonly<Record<string, Tensor>>,
  parts: TrainingParts,
  operation: string,
): Record<string, StateArray> {
  const dtypes = new Map(
    parts.model
      .parameters()
      .map((parameter) => [parameter.name, parameter.value instanceof Float64Array ? 'float64' : 'float32']),
  );
  const arrays: Record<string, StateArray> = {};
  const problems: string[] = [];
  for (const [key, tensor] of Object.entries(optimizerArraysOf(tensors))) {
    const name = `optimizer.${key}`;
    const parsed = parseCheckpointTensorName(name);
    const expected = parsed.kind === 'optimizer' ? dtypes.get(parsed.parameterName) : undefined;
    if (tensor.dtype === 'int32' || (expected !== undefined && tensor.dtype !== expected))
      problems.push(`${name} is ${tensor.dtype}, its parameter is ${expected ?? 'float32 or float64'}`);
    else arrays[key] = { shape: tensor.shape.slice(), value: floatValues(tensor) };
  }
  if (problems.length > 0) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the checkpoint's optimizer arrays do not fit: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`,
    );
  }
  return arrays;
}

/** Refuses NaN or infinity in the model's arrays and the optimizer's: resuming would continue a diverged run. */
function checkFinite(tensors: Readonly<Record<string, Tensor>>, operation: string): void {
  const nonFinite: string[] = [];
  for (const [name, tensor] of Object.entries(tensors)) {
    const kind = parseCheckpointTensorName(name).kind;
    if ((kind === 'model' || kind === 'optimizer') && !allFinite(tensor)) nonFinite.push(name);
  }
  if (nonFinite.length > 0) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the checkpoint holds NaN or infinite values in ${nonFinite.slice(0, 5).join(', ')}${nonFinite.length > 5 ? ` and ${nonFinite.length - 5} more tensors` : ''} (a diverged run); resume from an earlier checkpoint, or pass allowNonFiniteResume: true to continue anyway`,
    );
  }
}

function allFinite(tensor: Tensor): boolean {
  const contiguous = tensor.contiguous();
  const data = contiguous.data;
  for (let index = contiguous.offset; index < contiguous.offset + contiguous.size; index++)
    if (!Number.isFinite(data[index])) return false;
  return true;
}

function readPosition(checkpoint: Checkpoint, operation: string): { epoch: number; step: number } {
  for (const key of ['epoch', 'step'] as const) {
    if (!Number.isSafeInteger(checkpoint[key]) || checkpoint[key] < 0)
      throw new AnnetError(
        'INVALID_STATE',
        operation,
        `the checkpoint's ${key} must be a non-negative integer, got ${JSON.stringify(checkpoint[key])}`,
      );
  }
  return { epoch: checkpoint.epoch, step: checkpoint.step };
}

/** `extra.training` of a mid-epoch checkpoint, checked; `null` at an epoch boundary. */
function readEpochInProgress(checkpoint: Checkpoint, operation: string): EpochInProgress | null {
  const training = (checkpoint.extra as { training?: unknown } | undefined)?.training ?? { midEpoch: false };
  const fail = (what: string): never => {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the checkpoint's extra.training${what}; resumeFrom needs a checkpoint taken by fit`,
    );
  };
  if (!isObject(training) || typeof training.midEpoch !== 'boolean')
    return fail(` must be { midEpoch: true | false, ... }, got ${JSON.stringify(training)?.slice(0, 80)}`);
  if (!training.midEpoch) return null;
  const count = (key: string) => {
    const value = training[key];
    return Number.isSafeInteger(value) && (value as number) >= 0
      ? (value as number)
      : fail(`.${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
  };
  const batchLoss = training.batchLoss;
  if (batchLoss !== null && typeof batchLoss !== 'number')
    fail(`.batchLoss must be a number or null, got ${JSON.stringify(batchLoss)}`);
  if (!isObject(training.epochLoss))
    fail(`.epochLoss must be an object { sum, weight }, got ${JSON.stringify(training.epochLoss)}`);
  if (!isObject(training.metrics)) fail(`.metrics must be an object, got ${JSON.stringify(training.metrics)}`);
  return {
    batch: count('batch'),
    samplesInEpoch: count('samplesInEpoch'),
    batchLoss: typeof batchLoss === 'number' ? batchLoss : Number.NaN,
    epochLoss: training.epochLoss as JsonObject,
    metrics: training.metrics as JsonObject,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function floatValues(tensor: Tensor): Float32Array | Float64Array {
  const contiguous = tensor.contiguous();
  const data = contiguous.data as Float32Array | Float64Array;
  return data.subarray(contiguous.offset, contiguous.offset + contiguous.size);
}
