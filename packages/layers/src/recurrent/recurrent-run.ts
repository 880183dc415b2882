import type { FloatDType } from '@annet/layer-api';
import { residentZeros, type Tensor } from '@annet/tensor';
import type { FloatData } from '../buffers.js';

/**
 * Everything one forward and backward pass of a recurrent layer keeps. Its arrays are sized for
 * a capacity (batch·time rows, batch) and reused by every smaller input, so bucketed batches
 * of varying lengths allocate only when a longer or larger batch than any before arrives.
 * Time-indexed buffers are in processing order s = 0 … time − 1 (position t = s, or
 * time − 1 − s for a reversed layer), batch-major inside a step, so the rows of step s are one
 * contiguous block `[batch, ·]` at offset s·batch·width: every product over a step and over all
 * steps at once reads blocks in place.
 *
 * @example
 * const run = makeRecurrentRun([32, 64, 128], 'float32', { inputSize: 64, hiddenSize: 128, gates: 4, states: 2, hiddenProjection: false, cellActivations: true });
 */
export interface RecurrentRun {
  /** [batch·time rows, batch] the arrays hold room for. */
  readonly capacity: readonly [number, number];
  /** The batch of the last forward. */
  batch: number;
  /** The steps of the last forward. */
  time: number;
  /** The input in processing order, [time, batch, inputSize]. */
  readonly inputs: FloatData;
  /** Per step the gate pre-activations, then (in place) their activations, [time, batch, gates·hidden]. */
  readonly gates: FloatData;
  /** GRU only: W_hh·h + b_hh per step, [time, batch, 3·hidden] (its n part is what the reset gate scales). */
  readonly hiddenProjection: FloatData | undefined;
  /** LSTM only: tanh c′ per step, [time, batch, hidden], which backward reads instead of recomputing it. */
  readonly cellActivations: FloatData | undefined;
  /** Per state (h, then c for an LSTM), [time + 1, batch, hidden]: block s is the state before step s. */
  readonly states: readonly FloatData[];
  /** d loss / d gate pre-activations on the input side, [time, batch, gates·hidden]. */
  readonly gateGradients: FloatData;
  /** GRU only: the hidden side's, which differ in the n gate (scaled by r). */
  readonly hiddenGateGradients: FloatData | undefined;
  /** d loss / d state per state, [batch, hidden], carried from step to step in backward. */
  readonly stateGradients: FloatData[];
  /** Where a step writes d loss / d h_{s−1} before it becomes the carried one (swapped with stateGradients[0]). */
  spareHiddenGradient: FloatData;
  /** The input gradient in processing order, [time, batch, inputSize]. */
  readonly inputGradientRows: FloatData;
  /** 1 for a real step, 0 for padding, [batch, time] in time order (all 1 without a mask). */
  readonly mask: Int32Array;
  /** Whether the last forward's input had a mask. */
  masked: boolean;
}

/** The sizes that shape a {@link RecurrentRun}. */
export interface RecurrentRunSizes {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly gates: number;
  readonly states: number;
  readonly hiddenProjection: boolean;
  readonly cellActivations: boolean;
}

/**
 * Allocates a {@link RecurrentRun} with room for `capacity` = [batch·time rows, batch] (resident
 * buffers, zero-filled).
 *
 * @example
 * const run = makeRecurrentRun([10, 2], 'float64', { inputSize: 3, hiddenSize: 4, gates: 3, states: 1, hiddenProjection: true, cellActivations: false });
 */
export function makeRecurrentRun(
  capacity: readonly number[],
  dtype: FloatDType,
  sizes: RecurrentRunSizes,
): RecurrentRun {
  const [rows, batch] = capacity;
  const { inputSize, hiddenSize, gates, states } = sizes;
  const buffer = (length: number): FloatData => (residentZeros([length], dtype) as Tensor).data as FloatData;
  const width = gates * hiddenSize;
  return {
    capacity: [rows, batch],
    batch,
    time: rows / batch,
    inputs: buffer(rows * inputSize),
    gates: buffer(rows * width),
    hiddenProjection: sizes.hiddenProjection ? buffer(rows * width) : undefined,
    cellActivations: sizes.cellActivations ? buffer(rows * hiddenSize) : undefined,
    states: Array.from({ length: states }, () => buffer((rows + batch) * hiddenSize)),
    gateGradients: buffer(rows * width),
    hiddenGateGradients: sizes.hiddenProjection ? buffer(rows * width) : undefined,
    stateGradients: Array.from({ length: states }, () => buffer(batch * hiddenSize)),
    spareHiddenGradient: buffer(batch * hiddenSize),
    inputGradientRows: buffer(rows * inputSize),
    mask: new Int32Array(rows),
    masked: false,
  };
}
