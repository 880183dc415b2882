import type { BackwardOptions, JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, formatShape, type Tensor } from '@annet/tensor';
import { BaseLayer, type LayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { finalStateSourceOf, type FinalStateSource } from './state-links.js';

/**
 * Options of {@link FinalState}.
 *
 * @example
 * const options: FinalStateOptions = { state: 1 }; // an LSTM's c_n
 */
export interface FinalStateOptions extends LayerOptions {
  /** Which state: 0 = h (default), 1 = c for an LSTM; for a `Bidirectional`, the forward direction's states, then the backward one's. */
  readonly state?: number;
}

/**
 * A recurrent layer's final state in a graph model (Keras's `return_state`, PyTorch's `h_n`):
 * `apply(new FinalState(hidden), apply(lstm, x))` is the LSTM's h after each sample's last real
 * step, `[batch, hidden]` (`{ state: 1 }` for c_n). It reads the layer that produced its input;
 * backward hands its gradient to that layer (added to what flows back from the layer's output at
 * its next backward) and returns zeros for the layer's output. `hiddenSize` fixes the output
 * shape when the graph is built.
 *
 * @example
 * const x = input({ name: 'x', shape: [20, 8] });
 * const hn = apply(new FinalState(16), apply(new GRU(8, 16, { returnSequences: true }), x)); // [batch, 16]
 */
export class FinalState extends BaseLayer {
  /** Size of the state. */
  readonly hiddenSize: number;
  /** Which state it outputs. */
  readonly state: number;
  private source: FinalStateSource | undefined;

  constructor(hiddenSize: number, options: FinalStateOptions = {}) {
    super('FinalState', 'final_state', options);
    if (!Number.isSafeInteger(hiddenSize) || hiddenSize < 1)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `hiddenSize must be a positive integer, got ${hiddenSize}`,
      );
    const state = options.state ?? 0;
    if (!Number.isSafeInteger(state) || state < 0 || state > 3)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `state must be 0 (h), 1 (c of an LSTM), or 2-3 for a Bidirectional's backward direction, got ${String(state)}`,
      );
    this.hiddenSize = hiddenSize;
    this.state = state;
  }

  /** Rebuilds a FinalState from {@link FinalState.getConfig}. */
  static fromConfig(config: LayerConfig): FinalState {
    return new FinalState(config.hiddenSize as number, config as FinalStateOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { hiddenSize: this.hiddenSize, state: this.state };
  }

  /** [batch, ...] → [batch, hiddenSize]. */
  outputShape(inputShape: readonly number[]): number[] {
    return [inputShape[0], this.hiddenSize];
  }

  /** The final state of the layer whose output `input` is (a copy, reused by the next call). */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    const source = finalStateSourceOf(input);
    if (source === undefined)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `its input ${formatShape(input.shape)} is not the output of a recurrent layer; apply it to the output of an LSTM, GRU, SimpleRNN or Bidirectional`,
      );
    const states = source.finalStates();
    if (this.state >= states.length)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `state ${this.state} asked, but "${source.name}" has ${states.length} state${states.length === 1 ? '' : 's'}`,
      );
    const value = states[this.state];
    if (value.shape[1] !== this.hiddenSize)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `"${source.name}"'s state ${this.state} is ${formatShape(value.shape)}, but this layer was built for hiddenSize ${this.hiddenSize}`,
      );
    const output = this.workspace.buffer('output', value.dtype as 'float32' | 'float64', value.shape);
    floatData(output).set(floatData(value));
    this.source = source;
    this.recordForward(input, options);
    return output;
  }

  /** Hands d loss / d state to the recurrent layer; returns zeros for its output. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): Tensor {
    const input = this.checkBackwardAgainst(outputGradient, this.workspace.current('output'));
    const copy = this.workspace.buffer(
      'stateGradient',
      outputGradient.dtype as 'float32' | 'float64',
      outputGradient.shape,
    );
    const gradient = contiguousInput(outputGradient);
    const target = floatData(copy);
    for (let index = 0; index < target.length; index++) target[index] = gradient.data[gradient.offset + index];
    this.source!.receiveFinalStateGradient(this.state, copy);
    return this.workspace.buffer('inputGradient', outputGradient.dtype as 'float32' | 'float64', input.shape);
  }
}
