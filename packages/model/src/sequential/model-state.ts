import type { JsonObject, JsonValue } from '@annet/layer-api';
import { modelTensorName } from '@annet/serialization';
import { AnnetError, formatShape, shapesEqual, Tensor, type RngState } from '@annet/tensor';
import type { TrainableModel } from '../training/training-model.js';

/**
 * A model's saved state: its arrays as checkpoint tensors and its layers' non-array state.
 *
 * @example
 * const { tensors, rng } = readModelState(model);
 */
export interface ModelState {
  /** `model.<parameter or buffer name>` → a copy of its values. */
  readonly tensors: Record<string, Tensor>;
  /** `initialization` (the init stream after `initialize`) and `<layer name>` → that layer's `getState()` (Dropout's mask generator). */
  readonly rng: Record<string, JsonValue>;
}

/**
 * Copies out a model's parameters, buffers and layer states, named as checkpoints name them.
 *
 * @example
 * const { tensors } = readModelState(model); // { 'model.dense_1.weights': Tensor, ... }
 */
export function readModelState(model: TrainableModel): ModelState {
  const tensors: Record<string, Tensor> = {};
  for (const array of [...model.parameters(), ...model.buffers()])
    tensors[modelTensorName(array.name)] = new Tensor(array.value.slice(), array.shape);
  const rng: Record<string, JsonValue> = {};
  const initialization = model.initializationState();
  if (initialization !== null) rng.initialization = initialization as unknown as JsonObject;
  for (const layer of model.layers) if (layer.getState) rng[layer.name] = layer.getState();
  return { tensors, rng };
}

/**
 * How strictly {@link checkModelState} and {@link writeModelState} compare saved arrays with the model's.
 *
 * @example
 * const exact: ModelStateChecks = { dtype: 'exact' }; // what a resume asks
 */
export interface ModelStateChecks {
  /**
   * `'float'` (default): any float32 or float64 array loads (converted to the model's type);
   * `'exact'`: each array must have its parameter's own dtype (a resume continues bit for bit).
   * Integer arrays are refused either way: their bits are not weights.
   */
  readonly dtype?: 'float' | 'exact';
}

/**
 * Writes saved arrays and layer states into a model in place. Every parameter and buffer must be
 * present with its shape and a float dtype; all are checked before any is written, and the error
 * lists every problem. The model then counts as initialized: `fit` keeps these values.
 *
 * @example
 * writeModelState(model, checkpoint.tensors, checkpoint.rng, 'load');
 */
export function writeModelState(
  model: TrainableModel,
  tensors: Readonly<Record<string, Tensor>>,
  rng: Readonly<Record<string, JsonValue>>,
  operation: string,
  checks: ModelStateChecks = {},
): void {
  checkModelState(model, tensors, rng, operation, checks);
  for (const array of [...model.parameters(), ...model.buffers()]) {
    const saved = tensors[modelTensorName(array.name)].contiguous();
    array.value.set(saved.data.subarray(saved.offset, saved.offset + saved.size));
  }
  for (const layer of model.layers) layer.setState?.(rng[layer.name] as JsonObject);
  if (typeof rng.initialization === 'object' && rng.initialization !== null)
    model.restoreInitializationState(rng.initialization as unknown as RngState);
  model.markInitialized?.();
}

/**
 * Throws, listing every problem, unless {@link writeModelState} would find each parameter and
 * buffer of `model` with its shape and an acceptable dtype (see {@link ModelStateChecks}), and
 * each stateful layer's state; writes nothing.
 *
 * @example
 * checkModelState(model, checkpoint.tensors, checkpoint.rng, 'fit', { dtype: 'exact' }); // before changing anything else
 */
export function checkModelState(
  model: TrainableModel,
  tensors: Readonly<Record<string, Tensor>>,
  rng: Readonly<Record<string, JsonValue>>,
  operation: string,
  checks: ModelStateChecks = {},
): void {
  const problems: string[] = [];
  const arrays = [...model.parameters(), ...model.buffers()];
  for (const array of arrays) {
    const saved = tensors[modelTensorName(array.name)];
    const dtype = array.value instanceof Float64Array ? 'float64' : 'float32';
    if (saved === undefined) problems.push(`${array.name} is missing`);
    else if (!shapesEqual(saved.shape, array.shape))
      problems.push(
        `${array.name} has shape ${formatShape(saved.shape)} in the checkpoint, ${formatShape(array.shape)} in the model`,
      );
    else if (saved.dtype === 'int32' || (checks.dtype === 'exact' && saved.dtype !== dtype))
      problems.push(`${array.name} is ${saved.dtype} in the checkpoint, ${dtype} in the model`);
  }
  for (const layer of model.layers) {
    if (layer.setState && (typeof rng[layer.name] !== 'object' || rng[layer.name] === null))
      problems.push(`the state of layer ${layer.name} is missing`);
  }
  if (problems.length > 0) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the checkpoint does not fit model "${model.name}": ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`,
    );
  }
}
