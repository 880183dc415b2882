import type { JsonObject } from '@annet/layer-api';
import type { Checkpoint } from '@annet/serialization';
import type { Callback } from '../callbacks/callback.js';
import { callbackTensorsOf } from './checkpoint-names.js';

/**
 * Hands each callback its state from `extra.callbacks` and its arrays (`setState`, `setTensors`).
 * `fit` calls it after the callbacks' `onTrainBegin`, which may reset them.
 *
 * @example
 * await callHooks(callbacks, (callback) => callback.onTrainBegin?.(state));
 * restoreCallbackStates(checkpoint, callbacks);
 */
export function restoreCallbackStates(checkpoint: Checkpoint, callbacks: readonly Callback[]): void {
  const saved = ((checkpoint.extra as { callbacks?: unknown } | undefined)?.callbacks ?? {}) as JsonObject;
  const states = typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? saved : {};
  for (const callback of callbacks) {
    const state = states[callback.name];
    if (state !== undefined && state !== null && typeof state === 'object' && !Array.isArray(state))
      callback.setState?.(state as JsonObject);
    if (callback.setTensors) callback.setTensors(callbackTensorsOf(checkpoint.tensors, callback.name));
  }
}
