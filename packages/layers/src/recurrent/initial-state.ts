import type { BackwardOptions, LayerConfig } from '@annet/layer-api';
import { AnnetError, type Tensor } from '@annet/tensor';
import type { LayerOptions } from '../base-layer.js';
import { describeSymbolicShape, MergeLayer } from '../merge/merge-layer.js';
import { attachInitialStates, type InitialStateLink } from './state-links.js';

/**
 * Gives a recurrent layer its initial states in a graph model:
 * `apply(lstm, apply(new InitialState(), [sequence, h0, c0]))` starts the LSTM at h0 and c0
 * (`[batch, hidden]` each; h only for SimpleRNN and GRU; for a `Bidirectional`, the forward
 * direction's states then the backward one's), PyTorch's `lstm(x, (h0, c0))`. The output is the
 * sequence itself (a view over the same values) carrying the states, which the recurrent layer
 * that reads it uses instead of zeros; backward returns the gradient for the sequence unchanged
 * and, for each state, the d loss / d state that recurrent layer computed (zeros when no
 * recurrent layer read it). Put it right before the recurrent layer (after any `SequenceMask`).
 *
 * @example
 * const encoded = apply(new FinalState(64), apply(encoder, source));        // h_n of an encoder
 * const decoded = apply(decoder, apply(new InitialState(), [target, encoded])); // a GRU decoder starts there
 */
export class InitialState extends MergeLayer {
  private output: Tensor | undefined;
  private link: InitialStateLink | undefined;
  private readonly gradients: Tensor[] = [];

  constructor(options: LayerOptions = {}) {
    super('InitialState', 'initial_state', options, { minimum: 2, maximum: 5 });
  }

  /** Rebuilds an InitialState from {@link InitialState.getConfig}. */
  static fromConfig(config: LayerConfig): InitialState {
    return new InitialState(config as LayerOptions);
  }

  /** The sequence's shape; throws unless every state is [batch, hidden] with the sequence's batch. */
  outputShape(inputShapes: readonly (readonly number[])[]): number[] {
    this.checkInputCount(inputShapes.length);
    const [sequence, ...states] = inputShapes;
    if (sequence.length < 3)
      throw new AnnetError(
        'SHAPE_MISMATCH',
        this.operation,
        `expected a sequence [batch, time, features] first, got ${describeSymbolicShape(sequence)}`,
      );
    states.forEach((state, index) => {
      const batchFits = state[0] === sequence[0] || state[0] < 0 || sequence[0] < 0;
      if (state.length !== 2 || !batchFits) {
        throw new AnnetError(
          'SHAPE_MISMATCH',
          this.operation,
          `initial state ${index} must be [batch, hidden] with the sequence's batch (sequence ${describeSymbolicShape(sequence)}), got ${describeSymbolicShape(state)}`,
        );
      }
    });
    return sequence.slice();
  }

  /** The sequence (a view) carrying the states. */
  forward(inputs: readonly Tensor[], _options?: { readonly training: boolean }): Tensor {
    this.recordInputs(inputs);
    this.outputShape(inputs.map((entry) => entry.shape));
    const [sequence, ...states] = inputs;
    const dtype = sequence.dtype as 'float32' | 'float64';
    const gradients = states.map((state, index) => {
      const buffer = this.workspace.buffer(`stateGradient${index}`, dtype, state.shape);
      buffer.data.fill(0);
      return buffer;
    });
    const output =
      this.workspace.view('output', sequence) ??
      this.workspace.keepView('output', sequence, sequence.reshape(sequence.shape));
    this.link = { states, gradients };
    attachInitialStates(output, this.link);
    this.output = output;
    return output;
  }

  /** The gradient itself for the sequence, then d loss / d state as the recurrent layer left it. */
  backward(outputGradient: Tensor, _options?: BackwardOptions): readonly Tensor[] {
    this.inputsForBackward(outputGradient, this.output);
    this.gradients.length = 0;
    this.gradients.push(outputGradient, ...this.link!.gradients);
    return this.gradients;
  }
}
