import type { JsonValue, LayerConfig } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';
import { floatData } from '../buffers.js';
import { tanh } from './gate-activations.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';
import type { RecurrentRun } from './recurrent-run.js';

/**
 * Options of {@link SimpleRNN}.
 *
 * @example
 * const options: SimpleRNNOptions = { activation: 'relu', returnSequences: true };
 */
export interface SimpleRNNOptions extends RecurrentOptions {
  /** The nonlinearity: `'tanh'` (default) or `'relu'` (PyTorch's `nonlinearity`). */
  readonly activation?: 'tanh' | 'relu';
}

/**
 * The Elman recurrent layer over `[batch, time, inputSize]`, PyTorch's `torch.nn.RNN` for one layer
 * and one direction (`batch_first=True`), parameters one to one (`weightIH` [H, input],
 * `weightHH` [H, H], `biasIH`, `biasHH` [H]):
 *
 *   h′ = act(W_ih x + b_ih + W_hh h + b_hh),  act = tanh or relu.
 *
 * Backward: a = d h′ ⊙ act′ (1 − h′² for tanh, [h′ > 0] for relu), d h = a·W_hh. State: h.
 *
 * @example
 * const rnn = new SimpleRNN(8, 16, { returnSequences: true });
 * rnn.forward(x).shape; // x [4, 10, 8] → [4, 10, 16]
 */
export class SimpleRNN extends RecurrentLayer {
  /** The nonlinearity. */
  readonly activation: 'tanh' | 'relu';
  protected readonly foldsHiddenBias = true;

  constructor(inputSize: number, hiddenSize: number, options: SimpleRNNOptions = {}) {
    super('SimpleRNN', 'simple_rnn', inputSize, hiddenSize, { gates: 1, states: 1, hiddenProjection: false }, options);
    const activation = options.activation ?? 'tanh';
    if (activation !== 'tanh' && activation !== 'relu') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        this.operation,
        `activation must be 'tanh' or 'relu', got ${JSON.stringify(activation)}`,
      );
    }
    this.activation = activation;
  }

  /** Rebuilds a SimpleRNN from {@link SimpleRNN.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): SimpleRNN {
    return new SimpleRNN(config.inputSize as number, config.hiddenSize as number, config as SimpleRNNOptions);
  }

  protected override configEntries(): Record<string, JsonValue> {
    return { ...super.configEntries(), activation: this.activation };
  }

  protected stepForward(run: RecurrentRun, step: number): void {
    const { batch, time, gates, mask } = run;
    const hidden = run.states[0];
    const H = this.hiddenSize;
    const previous = step * batch * H;
    this.product.run(
      hidden,
      previous,
      H,
      false,
      this.transposedHiddenWeights,
      0,
      H,
      false,
      gates,
      previous,
      H,
      batch,
      H,
      H,
      true,
    );
    const t = this.position(step, time);
    const relu = this.activation === 'relu';
    for (let row = 0; row < batch; row++) {
      const before = previous + row * H;
      const after = before + batch * H;
      if (mask[row * time + t] === 0) {
        hidden.copyWithin(after, before, before + H);
        continue;
      }
      for (let unit = 0; unit < H; unit++) {
        const z = gates[before + unit];
        const h = relu ? (z > 0 ? z : 0) : tanh(z);
        gates[before + unit] = h;
        hidden[after + unit] = h;
      }
    }
  }

  protected stepBackward(run: RecurrentRun, step: number): void {
    const { batch, time, gates, mask, gateGradients } = run;
    const dh = run.stateGradients[0];
    const previousDh = run.spareHiddenGradient;
    const H = this.hiddenSize;
    const t = this.position(step, time);
    const relu = this.activation === 'relu';
    for (let row = 0; row < batch; row++) {
      const a = (step * batch + row) * H;
      const r = row * H;
      if (mask[row * time + t] === 0) {
        gateGradients.fill(0, a, a + H);
        for (let unit = 0; unit < H; unit++) previousDh[r + unit] = dh[r + unit];
        continue;
      }
      for (let unit = 0; unit < H; unit++) {
        const h = gates[a + unit];
        gateGradients[a + unit] = dh[r + unit] * (relu ? (h > 0 ? 1 : 0) : 1 - h * h);
        previousDh[r + unit] = 0;
      }
    }
    this.product.run(
      gateGradients,
      step * batch * H,
      H,
      false,
      floatData(this.weightHH),
      0,
      H,
      false,
      previousDh,
      0,
      H,
      batch,
      H,
      H,
      true,
    );
  }
}
