import type { JsonObject, JsonValue } from '@annet/layer-api';
import type { Checkpoint } from '@annet/serialization';

/**
 * The checkpoint without its wall-clock figures (each epoch's `seconds` and `samplesPerSecond`,
 * which `History` keeps apart in `wallClock`): two runs with the same settings, seeds and kernels
 * then encode to the same bytes, so `encodeCheckpoint(withoutWallClock(a))` can be compared
 * byte for byte. Resuming from it works as from the original (the resumed history lacks the
 * timings of the epochs before it). Tensors are shared, not copied.
 *
 * @example
 * const same = bytesEqual(encodeCheckpoint(withoutWallClock(first)), encodeCheckpoint(withoutWallClock(second)));
 */
export function withoutWallClock(checkpoint: Checkpoint): Checkpoint {
  const extra = checkpoint.extra as JsonObject | undefined;
  const callbacks = extra?.callbacks;
  const strippedCallbacks =
    isObject(callbacks) && isObject(callbacks.history)
      ? { ...callbacks, history: stripHistory(callbacks.history) }
      : callbacks;
  return {
    ...checkpoint,
    history: isObject(checkpoint.history) ? stripHistory(checkpoint.history) : checkpoint.history,
    ...(extra === undefined
      ? {}
      : { extra: { ...extra, ...(strippedCallbacks === undefined ? {} : { callbacks: strippedCallbacks }) } }),
  };
}

function stripHistory(history: JsonObject): JsonObject {
  const { wallClock: _dropped, ...rest } = history;
  return rest;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
