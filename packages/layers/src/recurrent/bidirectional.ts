import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError, type Rng, type Tensor } from '@annet/tensor';
import { BaseLayer, initialRng, seedConfig, type SeededLayerOptions } from '../base-layer.js';
import { contiguousInput, floatData } from '../buffers.js';
import { inputShapeError, requireDType } from '../layer-errors.js';
import type { LayerParameter } from '../layer-parameter.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentBackwardOptions, RecurrentLayer } from './recurrent-layer.js';
import { attachMask, checkMaskShape, maskOf } from './sequence-mask.js';
import {
  attachFinalStateSource,
  initialStatesOf,
  type FinalStateSource,
  type InitialStateLink,
} from './state-links.js';
import { SimpleRNN } from './simple-rnn.js';

/**
 * How {@link Bidirectional} joins the two directions' outputs y→ and y←.
 *
 * @example
 * const merge: BidirectionalMerge = 'concat'; // [y→, y←] on the last axis
 */
export type BidirectionalMerge = 'concat' | 'sum' | 'average' | 'multiply';

/**
 * Options of {@link Bidirectional}.
 *
 * @example
 * const options: BidirectionalOptions = { merge: 'sum', seed: 3 };
 */
export interface BidirectionalOptions extends SeededLayerOptions {
  /** `'concat'` (default, PyTorch's and Keras's), `'sum'`, `'average'` or `'multiply'`. */
  readonly merge?: BidirectionalMerge;
}

const recurrentClasses = { LSTM, GRU, SimpleRNN } as const;
const merges: readonly BidirectionalMerge[] = ['concat', 'sum', 'average', 'multiply'];

/**
 * Runs a recurrent layer over the sequence in both directions and merges the outputs, as
 * PyTorch's `bidirectional=True` and Keras's `Bidirectional`: the forward direction is a layer
 * built from `layer`'s config, the backward one the same with `reverse: true` (it starts at each
 * sample's own last real step when the input carries a mask, and its outputs stay in time order,
 * so position t sees the whole sequence). Merged output: y = [y→, y←] (concat, 2·hidden),
 * y→ + y←, (y→ + y←)/2 or y→ ⊙ y←; with `returnSequences: false` the two final states
 * (y← is then the backward direction's state after step 0, PyTorch's `h_n[1]`).
 *
 * Backward: d y→ and d y← from the merge (the split halves; d y; d y/2; d y ⊙ y← and d y ⊙ y→),
 * then d x = d x→ + d x←. Parameters: the forward direction's (`<name>.weightIH`, …) then the
 * backward one's (`<name>.weightIH_reverse`, …), PyTorch's `weight_ih_l0` and
 * `weight_ih_l0_reverse`; both drawn from this layer's `seed`/`rng` at construction, so the
 * wrapped layer only gives the configuration. Each direction's states: `forwardLayer` and
 * `backwardLayer` (`setInitialState`, `finalStates`, `initialStateGradients`).
 *
 * @example
 * const tagger = new Bidirectional(new LSTM(64, 128, { returnSequences: true }));
 * tagger.forward(x).shape; // x [32, 40, 64] → [32, 40, 256]
 */
export class Bidirectional extends BaseLayer implements FinalStateSource {
  /** The direction that reads t = 0, 1, …. */
  readonly forwardLayer: RecurrentLayer;
  /** The direction that reads t = time − 1, …, 0. */
  readonly backwardLayer: RecurrentLayer;
  /** How the two outputs are joined. */
  readonly merge: BidirectionalMerge;
  private readonly allParameters: readonly LayerParameter[];
  private readonly seedEntries: Record<string, JsonValue>;
  // Each direction's last output (its own reused buffer), which the 'multiply' backward reads.
  private readonly directionOutputs: [Tensor | undefined, Tensor | undefined] = [undefined, undefined];
  private initialLink: InitialStateLink | undefined;

  constructor(layer: RecurrentLayer, options: BidirectionalOptions = {}) {
    super('Bidirectional', 'bidirectional', { ...options, dtype: layer?.dtype });
    const config = layer?.getConfig?.();
    if (config === undefined || !Object.hasOwn(recurrentClasses, config.className)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `expects an LSTM, GRU or SimpleRNN to wrap, got ${config?.className ?? typeof layer}`,
      );
    }
    if (config.reverse === true)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `wrap a layer without reverse: true (${config.className} "${config.name}" runs backwards already); Bidirectional makes the reversed copy itself`,
      );
    const merge = options.merge ?? 'concat';
    if (!merges.includes(merge))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `merge must be one of ${merges.map((entry) => `'${entry}'`).join(', ')}, got ${JSON.stringify(merge)}`,
      );
    this.merge = merge;
    const make = recurrentClasses[config.className as keyof typeof recurrentClasses];
    this.forwardLayer = make.fromConfig({ ...config, name: this.name });
    this.backwardLayer = make.fromConfig({ ...config, name: this.name, reverse: true });
    this.allParameters = [...this.forwardLayer.parameters(), ...this.backwardLayer.parameters()] as LayerParameter[];
    this.seedEntries = seedConfig(options);
    this.initialize(initialRng(options));
  }

  /** Rebuilds a Bidirectional from {@link Bidirectional.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): Bidirectional {
    const inner = config.layer as LayerConfig | undefined;
    const make =
      inner !== undefined && typeof inner === 'object'
        ? recurrentClasses[inner.className as keyof typeof recurrentClasses]
        : undefined;
    if (make === undefined)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'Bidirectional.fromConfig',
        `config.layer must be the config of an LSTM, GRU or SimpleRNN, got ${JSON.stringify(inner?.className ?? inner)}`,
      );
    return new Bidirectional(make.fromConfig(inner!), config as BidirectionalOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { layer: this.forwardLayer.getConfig(), merge: this.merge, ...this.seedEntries };
  }

  /** Both directions' parameters, forward first. */
  override parameters(): readonly LayerParameter[] {
    return this.allParameters;
  }

  /** Draws the forward direction's parameters, then the backward one's. */
  override initialize(rng: Rng): void {
    this.forwardLayer?.initialize(rng);
    this.backwardLayer?.initialize(rng);
  }

  /** Renames this layer and both directions (their parameters follow). */
  override rename(name: string, options: { explicit?: boolean } = {}): void {
    super.rename(name, options);
    this.forwardLayer.rename(name, options);
    this.backwardLayer.rename(name, options);
  }

  /** The wrapped layer's output shape, with the last axis doubled for `'concat'`. */
  outputShape(inputShape: readonly number[]): number[] {
    const shape = this.forwardLayer.outputShape(inputShape);
    if (this.merge === 'concat') shape[shape.length - 1] *= 2;
    return shape;
  }

  /** Both directions over `input`, merged; the returned tensor is reused by the next call. */
  forward(input: Tensor, options?: { readonly training: boolean }): Tensor {
    // Checked here too, so a bad input is reported as this layer's, not as a direction's.
    const inputSize = this.forwardLayer.inputSize;
    if (input.shape.length !== 3 || input.shape[2] !== inputSize)
      throw inputShapeError(this.operation, `[batch,time,${inputSize}] (rank 3)`, input.shape);
    requireDType(this.operation, input, this.dtype);
    checkMaskShape(this.operation, input);
    const link = initialStatesOf(input);
    const count = this.forwardLayer.stateCount;
    if (link !== undefined && link.states.length !== 2 * count) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `its input carries ${link.states.length} initial states (from InitialState) but a bidirectional ${this.forwardLayer.className} takes ${2 * count}: the forward direction's ${this.forwardLayer.stateNames()}, then the backward one's`,
      );
    }
    this.initialLink = link;
    if (link === undefined) {
      this.directionOutputs[0] = this.forwardLayer.forward(input, options);
      this.directionOutputs[1] = this.backwardLayer.forward(input, options);
    } else {
      this.directionOutputs[0] = this.forwardLayer.forwardFrom(input, link.states.slice(0, count), options);
      this.directionOutputs[1] = this.backwardLayer.forwardFrom(input, link.states.slice(count), options);
    }
    const forwardOutput = floatData(this.directionOutputs[0]);
    const backwardOutput = floatData(this.directionOutputs[1]);
    const output = this.workspace.output(this.dtype, input.shape);
    const target = floatData(output);
    const H = this.forwardLayer.hiddenSize;
    const rows = forwardOutput.length / H;
    if (this.merge === 'concat') {
      for (let row = 0; row < rows; row++) {
        for (let unit = 0; unit < H; unit++) {
          target[row * 2 * H + unit] = forwardOutput[row * H + unit];
          target[row * 2 * H + H + unit] = backwardOutput[row * H + unit];
        }
      }
    } else {
      for (let index = 0; index < forwardOutput.length; index++)
        target[index] = mergeValues(this.merge, forwardOutput[index], backwardOutput[index]);
    }
    attachMask(output, this.forwardLayer.returnSequences ? maskOf(input) : undefined);
    attachFinalStateSource(output, this);
    this.recordForward(input, options);
    return output;
  }

  /** The forward direction's final states, then the backward one's (h→, c→, h←, c← for an LSTM). */
  finalStates(): readonly Tensor[] {
    return [...this.forwardLayer.finalStates(), ...this.backwardLayer.finalStates()];
  }

  /** Hands d loss / d final state `index` (numbered as in {@link Bidirectional.finalStates}) to its direction. */
  receiveFinalStateGradient(index: number, gradient: Tensor): void {
    const count = this.forwardLayer.stateCount;
    if (!Number.isInteger(index) || index < 0 || index >= 2 * count)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `state index ${index} is outside [0, ${2 * count}) (the forward direction's ${this.forwardLayer.stateNames()}, then the backward one's)`,
      );
    (index < count ? this.forwardLayer : this.backwardLayer).receiveFinalStateGradient(index % count, gradient);
  }

  /** Each direction's backward options: `finalStateGradients` lists the forward direction's states, then the backward one's. */
  private directionOptions(
    options: RecurrentBackwardOptions | undefined,
  ): [RecurrentBackwardOptions | undefined, RecurrentBackwardOptions | undefined] {
    const gradients = options?.finalStateGradients;
    if (gradients === undefined) return [options, options];
    const count = this.forwardLayer.stateCount;
    if (!Array.isArray(gradients) || gradients.length !== 2 * count) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `expected ${2 * count} final state gradients (the forward direction's ${count}, then the backward one's), got ${Array.isArray(gradients) ? gradients.length : typeof gradients}`,
      );
    }
    return [
      { inputGradient: options?.inputGradient, finalStateGradients: gradients.slice(0, count) },
      { inputGradient: options?.inputGradient, finalStateGradients: gradients.slice(count) },
    ];
  }

  /**
   * Splits d y between the directions, runs both backward, returns d x→ + d x← (reused by the
   * next call). `finalStateGradients`: the forward direction's states, then the backward one's.
   */
  backward(outputGradient: Tensor, options?: RecurrentBackwardOptions): Tensor {
    const output = this.workspace.current('output');
    const input = this.checkBackwardAgainst(outputGradient, output);
    const gradient = contiguousInput(outputGradient);
    const dy = floatData(gradient);
    const base = gradient.offset;
    const single = this.directionOutputs[0]!.shape;
    const forwardGradient = this.workspace.buffer('forwardGradient', this.dtype, single);
    const backwardGradient = this.workspace.buffer('backwardGradient', this.dtype, single);
    const dForward = floatData(forwardGradient);
    const dBackward = floatData(backwardGradient);
    const H = this.forwardLayer.hiddenSize;
    if (this.merge === 'concat') {
      for (let row = 0; row < dForward.length / H; row++) {
        const from = base + row * 2 * H;
        for (let unit = 0; unit < H; unit++) {
          dForward[row * H + unit] = dy[from + unit];
          dBackward[row * H + unit] = dy[from + H + unit];
        }
      }
    } else {
      const yForward = floatData(this.directionOutputs[0]!);
      const yBackward = floatData(this.directionOutputs[1]!);
      for (let index = 0; index < dForward.length; index++) {
        const value = dy[base + index];
        dForward[index] =
          this.merge === 'sum' ? value : this.merge === 'average' ? value / 2 : value * yBackward[index];
        dBackward[index] =
          this.merge === 'sum' ? value : this.merge === 'average' ? value / 2 : value * yForward[index];
      }
    }
    const directionOptions = options?.finalStateGradients === undefined ? undefined : this.directionOptions(options);
    const dxForward = floatData(this.forwardLayer.backward(forwardGradient, directionOptions?.[0] ?? options));
    const dxBackward = floatData(this.backwardLayer.backward(backwardGradient, directionOptions?.[1] ?? options));
    const link = this.initialLink;
    if (link !== undefined) {
      const states = [...this.forwardLayer.initialStateGradients(), ...this.backwardLayer.initialStateGradients()];
      link.gradients.forEach((gradient, index) => floatData(gradient).set(floatData(states[index])));
    }
    const inputGradient = this.workspace.buffer('inputGradient', this.dtype, input.shape);
    if (options?.inputGradient === false) return inputGradient;
    const target = floatData(inputGradient);
    for (let index = 0; index < target.length; index++) target[index] = dxForward[index] + dxBackward[index];
    return inputGradient;
  }
}

function mergeValues(merge: BidirectionalMerge, forward: number, backward: number): number {
  if (merge === 'sum') return forward + backward;
  if (merge === 'average') return (forward + backward) / 2;
  return forward * backward;
}
