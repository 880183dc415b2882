import type { JsonObject, JsonValue } from '@annet/layer-api';
import { checkpointFormat, checkpointFormatVersion, type Checkpoint } from '@annet/serialization';
import { Tensor } from '@annet/tensor';
import { readModelState } from '../sequential/model-state.js';
import { annetVersion } from '../version.js';
import { callbackTensorName, optimizerArrayTensorName } from './checkpoint-names.js';
import type { RunState } from './run-state.js';
import type { TrainingParts } from './training-parts.js';

/**
 * A checkpoint of the run at this moment: after a batch (mid-epoch) or at an epoch's end. Arrays
 * are copied. `epoch` counts completed epochs, `step` optimizer steps; `extra.fit` holds the
 * settings a resume must match, `extra.training` the epoch in progress (running loss and metric
 * sums, batches done), `extra.callbacks` each callback's state. The learning-rate schedule's state
 * is part of the optimizer's (`optimizer.state`), so `schedule` stays `null`.
 *
 * @example
 * const checkpoint = captureCheckpoint(parts, state); // what context.checkpoint() returns
 */
export function captureCheckpoint(parts: TrainingParts, state: RunState): Checkpoint {
  const { model, optimizer, loader } = parts;
  const modelState = readModelState(model);
  const tensors: Record<string, Tensor> = { ...modelState.tensors };
  const optimizerState = optimizer.stateDict();
  for (const [key, array] of Object.entries(optimizerState.arrays))
    tensors[optimizerArrayTensorName(key)] = new Tensor(array.value, array.shape);
  const callbackStates: Record<string, JsonValue> = {};
  for (const callback of parts.callbacks) {
    callbackStates[callback.name] = callback.getState?.() ?? {};
    for (const [key, tensor] of Object.entries(callback.getTensors?.() ?? {}))
      tensors[callbackTensorName(callback.name, key)] = tensor.clone();
  }
  const midEpoch = !state.atEpochEnd;
  return {
    format: checkpointFormat,
    formatVersion: checkpointFormatVersion,
    annetVersion,
    tensors,
    architecture: model.getConfig(),
    optimizer: { type: optimizerState.type, config: optimizerState.config, state: optimizerState.state },
    schedule: null,
    rng: modelState.rng,
    dataLoader: loader.state() as unknown as JsonObject,
    epoch: midEpoch ? state.epoch : state.epoch + 1,
    step: state.step,
    history: state.history.getState(),
    extra: {
      fit: { ...parts.settings } as JsonObject,
      training: midEpoch
        ? {
            midEpoch: true,
            batch: state.batch,
            samplesInEpoch: state.samplesInEpoch,
            batchLoss: finiteOrNull(state.batchLoss),
            epochLoss: parts.epochLoss.state(),
            metrics: parts.metrics.getState(),
          }
        : { midEpoch: false },
      callbacks: callbackStates,
    },
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
