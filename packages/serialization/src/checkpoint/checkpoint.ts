import type { JsonObject, JsonValue } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';

/**
 * The `format` value of every annet checkpoint.
 *
 * @example
 * const checkpoint: Checkpoint = { format: checkpointFormat, formatVersion: checkpointFormatVersion, ...rest };
 */
export const checkpointFormat = 'annet-checkpoint';

/**
 * The checkpoint format version this package writes and reads.
 *
 * @example
 * decodeSafetensors(bytes).metadata.formatVersion === String(checkpointFormatVersion); // true for a checkpoint this version wrote
 */
export const checkpointFormatVersion = 1;

/**
 * An optimizer's non-array state: its class, its hyperparameters and its scalar state (such as
 * the step count). Its arrays (moments, velocities) go to {@link Checkpoint.tensors} as
 * `optimizer.<parameter name>.<slot>`.
 */
export interface OptimizerDocument extends JsonObject {
  /** Registry key of the optimizer class, such as `Adam`. */
  readonly type: string;
  /** Constructor arguments (learning rate, betas, …). */
  readonly config: JsonObject;
  /** Scalar state, keyed by name, without arrays. */
  readonly state: JsonObject;
}

/**
 * Everything needed to resume a training run bit for bit, as one value. Arrays live in `tensors`;
 * everything else is JSON.
 *
 * Tensor names: `model.<parameter name>` and `model.<buffer name>` for the model,
 * `optimizer.<parameter name>.<slot>` for optimizer arrays (see {@link optimizerTensorName}).
 */
export interface Checkpoint {
  /** Always {@link checkpointFormat}. */
  readonly format: typeof checkpointFormat;
  /** Always {@link checkpointFormatVersion} for checkpoints this version writes. */
  readonly formatVersion: typeof checkpointFormatVersion;
  /** Version of annet that wrote the checkpoint, such as `0.1.0`. */
  readonly annetVersion: string;
  /** Every array: parameters, buffers and optimizer slots, by name. */
  readonly tensors: Readonly<Record<string, Tensor>>;
  /** The model's architecture: layer configs, enough to rebuild it through a registry. */
  readonly architecture: JsonValue;
  /** Optimizer class, config and scalar state; `null` when no optimizer is saved. */
  readonly optimizer: OptimizerDocument | null;
  /** Learning-rate schedule state; `null` when there is none. */
  readonly schedule: JsonValue | null;
  /** Random-generator states by owner, such as `{ dataLoader: {...}, dropout_1: {...} }`. */
  readonly rng: Readonly<Record<string, JsonValue>>;
  /** Data-loader position and shuffle state; `null` when there is none. */
  readonly dataLoader: JsonValue | null;
  /** Completed epochs. */
  readonly epoch: number;
  /** Completed optimizer steps. */
  readonly step: number;
  /** Metrics history, such as `{ loss: [...], accuracy: [...] }`. */
  readonly history: JsonValue;
  /** Anything else the caller wants to keep. */
  readonly extra?: JsonObject;
}

/**
 * The checkpoint tensor name of a model parameter or buffer: `model.<name>`.
 *
 * @example
 * modelTensorName('dense_1.weights'); // 'model.dense_1.weights'
 */
export function modelTensorName(name: string): string {
  return `model.${name}`;
}

/**
 * The checkpoint tensor name of an optimizer slot: `optimizer.<parameter name>.<slot>`. Slots
 * contain no dot, so the name splits unambiguously at its last dot.
 *
 * @example
 * optimizerTensorName('dense_1.weights', 'firstMoment'); // 'optimizer.dense_1.weights.firstMoment'
 */
export function optimizerTensorName(parameterName: string, slot: string): string {
  if (slot === '' || slot.includes('.')) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'optimizerTensorName',
      `slot ${JSON.stringify(slot)} must be non-empty and contain no '.'`,
    );
  }
  return `optimizer.${parameterName}.${slot}`;
}

/** What a checkpoint tensor name refers to. */
export type CheckpointTensorName =
  | { readonly kind: 'model'; readonly name: string }
  | { readonly kind: 'optimizer'; readonly parameterName: string; readonly slot: string }
  | { readonly kind: 'other'; readonly name: string };

/**
 * Splits a checkpoint tensor name into its parts (the inverse of {@link modelTensorName} and
 * {@link optimizerTensorName}).
 *
 * @example
 * parseCheckpointTensorName('optimizer.dense_1.weights.secondMoment'); // { kind: 'optimizer', parameterName: 'dense_1.weights', slot: 'secondMoment' }
 */
export function parseCheckpointTensorName(name: string): CheckpointTensorName {
  if (name.startsWith('model.') && name.length > 6) return { kind: 'model', name: name.slice(6) };
  if (name.startsWith('optimizer.')) {
    const lastDot = name.lastIndexOf('.');
    if (lastDot > 10 && lastDot < name.length - 1)
      return { kind: 'optimizer', parameterName: name.slice(10, lastDot), slot: name.slice(lastDot + 1) };
  }
  return { kind: 'other', name };
}
