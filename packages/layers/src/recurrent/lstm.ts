import type { LayerConfig } from '@annet/layer-api';
import { floatData } from '../buffers.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';
import type { RecurrentRun } from './recurrent-run.js';
import { lstmCellBackward, lstmCellForward } from './lstm-cell.js';
import { forEachRowRun } from './row-runs.js';

/**
 * Long short-term memory over `[batch, time, inputSize]`, PyTorch's `torch.nn.LSTM` for one layer
 * and one direction (`batch_first=True`), with its parameters one to one: `weightIH` =
 * `weight_ih_l0` [4H, input], `weightHH` = `weight_hh_l0` [4H, H], `biasIH`, `biasHH` [4H], the
 * gates stacked in PyTorch's order i, f, g, o. At each step, with σ the logistic function:
 *
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c′ = f ⊙ c + i ⊙ g                        h′ = o ⊙ tanh(c′)
 *
 * Backward, from d h′ and d c′ (what flows back from later steps and the output):
 * d c = d c′ + d h′ ⊙ o ⊙ (1 − tanh²c′); the pre-activation gradients are d c ⊙ g ⊙ i(1 − i),
 * d c ⊙ c ⊙ f(1 − f), d c ⊙ i ⊙ (1 − g²), d h′ ⊙ tanh c′ ⊙ o(1 − o); the state gradients before
 * the step are d c ⊙ f and dA·W_hh. States: h, then c (`setInitialState([h0, c0])`,
 * `finalStates()` → [h_n, c_n]).
 *
 * @example
 * const lstm = new LSTM(128, 128, { returnSequences: true });
 * lstm.forward(x).shape; // x [32, 64, 128] → [32, 64, 128]
 */
export class LSTM extends RecurrentLayer {
  protected readonly foldsHiddenBias = true;

  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super(
      'LSTM',
      'lstm',
      inputSize,
      hiddenSize,
      { gates: 4, states: 2, hiddenProjection: false, cellActivations: true },
      options,
    );
  }

  /** Rebuilds an LSTM from {@link LSTM.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): LSTM {
    return new LSTM(config.inputSize as number, config.hiddenSize as number, config as RecurrentOptions);
  }

  protected stepForward(run: RecurrentRun, step: number): void {
    const { batch, time, gates } = run;
    const [hidden, cell] = run.states;
    const H = this.hiddenSize;
    const width = 4 * H;
    const previous = step * batch * H;
    this.product.run(
      hidden,
      previous,
      H,
      false,
      this.transposedHiddenWeights,
      0,
      width,
      false,
      gates,
      step * batch * width,
      width,
      batch,
      width,
      H,
      true,
    );
    const t = this.position(step, time);
    // Masked rows keep their states; each run of unmasked rows goes to the cell in one call.
    forEachRowRun(
      run,
      t,
      (row) => {
        const before = previous + row * H;
        const after = before + batch * H;
        hidden.copyWithin(after, before, before + H);
        cell.copyWithin(after, before, before + H);
      },
      (first, end) => lstmCellForward(run, step, first, end, H),
    );
  }

  protected stepBackward(run: RecurrentRun, step: number): void {
    const { batch, time, gateGradients } = run;
    const dh = run.stateGradients[0];
    const previousDh = run.spareHiddenGradient;
    const H = this.hiddenSize;
    const width = 4 * H;
    const t = this.position(step, time);
    forEachRowRun(
      run,
      t,
      (row) => {
        const a = (step * batch + row) * width;
        const r = row * H;
        gateGradients.fill(0, a, a + width);
        for (let unit = 0; unit < H; unit++) previousDh[r + unit] = dh[r + unit];
      },
      (first, end) => lstmCellBackward(run, step, first, end, H),
    );
    this.product.run(
      gateGradients,
      step * batch * width,
      width,
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
      width,
      true,
    );
  }
}
