import type { JsonObject } from '@annet/layer-api';
import type { Tensor } from '@annet/tensor';
import type { TrainingContext } from '../training/training-context.js';

import type { EpochLogs } from './epoch-logs.js';

export type { EpochLogs } from './epoch-logs.js';

/**
 * What a hook may return: nothing, or a promise `fit` waits for (synchronous hooks cost no await).
 *
 * @example
 * const onEpochEnd = (): HookResult => saveSomewhere(); // a promise fit awaits
 */
export type HookResult = void | Promise<void>;

/**
 * A hook into `fit`. Every hook is optional and may be async (`fit` awaits it). Callbacks are
 * checkpointable: {@link Callback.getState} returns plain JSON (and {@link Callback.getTensors}
 * arrays, such as EarlyStopping's best weights) that a checkpoint stores under the callback's
 * {@link Callback.name}, and a resumed `fit` hands back through `setState`.
 *
 * Batch hooks receive the running means of the epoch so far (as Keras does); epoch hooks receive
 * the epoch's final figures, validation included.
 *
 * @example
 * const printer: Callback = {
 *   name: 'printer',
 *   onEpochEnd: (logs, context) => console.log(context.epoch + 1, logs.loss),
 *   getState: () => ({}),
 *   setState: () => {},
 * };
 */
export interface Callback {
  /** Key of the callback's state in a checkpoint; unique among a fit call's callbacks. */
  readonly name: string;
  /**
   * Run this callback's hooks after every other callback's (ModelCheckpoint does, so that what
   * it saves includes what the others changed, such as a learning-rate reduction).
   */
  readonly runLast?: boolean;
  /** Before the first epoch (also when resuming; a resumed callback's state is restored after this hook). */
  onTrainBegin?(context: TrainingContext): HookResult;
  /** Before each epoch's first batch (not called again when resuming mid-epoch). */
  onEpochBegin?(context: TrainingContext): HookResult;
  /** After each optimizer step, with the epoch's running means. */
  onBatchEnd?(logs: EpochLogs, context: TrainingContext): HookResult;
  /** After each epoch and its validation, with the epoch's figures. */
  onEpochEnd?(logs: EpochLogs, context: TrainingContext): HookResult;
  /** After the last epoch, or once training stopped. */
  onTrainEnd?(context: TrainingContext): HookResult;
  /** The callback's state as plain JSON. */
  getState?(): JsonObject;
  /** Restores what {@link Callback.getState} returned. */
  setState?(state: JsonObject): void;
  /** Arrays to store in the checkpoint beside the JSON state, keyed by a local name. */
  getTensors?(): Readonly<Record<string, Tensor>>;
  /** Restores what {@link Callback.getTensors} returned. */
  setTensors?(tensors: Readonly<Record<string, Tensor>>): void;
}
