import type { Tensor } from '@annet/tensor';

/**
 * What {@link InitialState} attaches to a sequence for the recurrent layer that reads it: the
 * states to start from, and buffers (one per state, shaped like it) where that layer's backward
 * writes d loss / d state, which `InitialState`'s backward then returns for its state inputs.
 *
 * @example
 * const link: InitialStateLink = { states: [h0, c0], gradients: [dh0, dc0] };
 */
export interface InitialStateLink {
  readonly states: readonly Tensor[];
  readonly gradients: readonly Tensor[];
}

/**
 * What a recurrent layer (or `Bidirectional`) attaches to its output, so a {@link FinalState}
 * layer downstream can read its final states and hand it their gradients.
 *
 * @example
 * const source: FinalStateSource = lstm; // finalStates(), receiveFinalStateGradient(index, gradient)
 */
export interface FinalStateSource {
  /** The layer's name, for messages. */
  readonly name: string;
  /** The states after the last forward, [batch, hidden] each. */
  finalStates(): readonly Tensor[];
  /** Adds `gradient` (d loss / d final state `index`) to what the next backward propagates; read once. */
  receiveFinalStateGradient(index: number, gradient: Tensor): void;
}

const initialLinks = new WeakMap<Tensor, InitialStateLink>();
const finalSources = new WeakMap<Tensor, FinalStateSource>();

/**
 * Attaches initial states to a sequence tensor (`undefined` removes them); returns the tensor.
 *
 * @example
 * attachInitialStates(view, { states: [h0], gradients: [dh0] });
 */
export function attachInitialStates(sequence: Tensor, link: InitialStateLink | undefined): Tensor {
  if (link === undefined) initialLinks.delete(sequence);
  else initialLinks.set(sequence, link);
  return sequence;
}

/**
 * The initial states attached to a sequence with {@link attachInitialStates}, or undefined.
 *
 * @example
 * const link = initialStatesOf(input); // from InitialState
 */
export function initialStatesOf(sequence: Tensor): InitialStateLink | undefined {
  return initialLinks.get(sequence);
}

/**
 * Records that `output` came from `source` (a recurrent layer's forward does it).
 *
 * @example
 * attachFinalStateSource(output, this);
 */
export function attachFinalStateSource(output: Tensor, source: FinalStateSource): void {
  finalSources.set(output, source);
}

/**
 * The recurrent layer that produced `output`, or undefined.
 *
 * @example
 * finalStateSourceOf(lstm.forward(x)) === lstm; // true
 */
export function finalStateSourceOf(output: Tensor): FinalStateSource | undefined {
  return finalSources.get(output);
}
