import type { FloatArray, JsonObject } from '@annet/layer-api';
import type { GraphLayer } from './graph-layer.js';

/**
 * What a layer's forward pass may change besides its output: its non-array state (Dropout's
 * generator) and its buffers (BatchNorm's running statistics). Copies, in arrays reused between
 * captures of the same snapshot.
 *
 * @example
 * const before = captureLayer(dropout); dropout.forward(x, { training: true }); restoreLayer(dropout, before);
 */
export interface LayerSnapshot {
  state: JsonObject | undefined;
  readonly buffers: FloatArray[];
}

/**
 * Copies `layer`'s state and buffers into `into` (or a new snapshot) and returns it.
 *
 * @example
 * snapshot = captureLayer(layer, snapshot);
 */
export function captureLayer(layer: GraphLayer, into?: LayerSnapshot): LayerSnapshot {
  const snapshot = into ?? { state: undefined, buffers: [] };
  snapshot.state = layer.getState?.();
  const buffers = layer.buffers();
  for (let index = 0; index < buffers.length; index++) {
    const value = buffers[index].value;
    const copy = snapshot.buffers[index];
    if (copy === undefined || copy.length !== value.length) snapshot.buffers[index] = value.slice();
    else copy.set(value);
  }
  return snapshot;
}

/**
 * Puts a captured state and buffers back into `layer`.
 *
 * @example
 * restoreLayer(layer, snapshot);
 */
export function restoreLayer(layer: GraphLayer, snapshot: LayerSnapshot): void {
  if (snapshot.state !== undefined) layer.setState?.(snapshot.state);
  const buffers = layer.buffers();
  for (let index = 0; index < buffers.length; index++) buffers[index].value.set(snapshot.buffers[index]);
}
