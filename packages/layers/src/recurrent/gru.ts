import type { LayerConfig } from '@annet/layer-api';
import { floatData } from '../buffers.js';
import { RecurrentLayer, type RecurrentOptions } from './recurrent-layer.js';
import type { RecurrentRun } from './recurrent-run.js';
import { gruCellBackward, gruCellForward } from './gru-cell.js';
import { forEachRowRun } from './row-runs.js';

/**
 * Gated recurrent unit over `[batch, time, inputSize]`, PyTorch's `torch.nn.GRU` for one layer and
 * one direction (`batch_first=True`), its parameters one to one: `weightIH` = `weight_ih_l0`
 * [3H, input], `weightHH` = `weight_hh_l0` [3H, H], `biasIH`, `biasHH` [3H], gates in PyTorch's
 * order r, z, n, and the reset gate applied to W_hn h + b_hn (PyTorch's and cuDNN's variant, not
 * the paper's r ⊙ h inside the product):
 *
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h′ = (1 − z) ⊙ n + z ⊙ h
 *
 * Backward, from d h′: d n = d h′ ⊙ (1 − z), d z = d h′ ⊙ (h − n); the pre-activation gradients
 * are a_n = d n ⊙ (1 − n²), a_r = a_n ⊙ (W_hn h + b_hn) ⊙ r(1 − r), a_z = d z ⊙ z(1 − z); the
 * input side gets (a_r, a_z, a_n), the hidden side (a_r, a_z, r ⊙ a_n), and
 * d h = d h′ ⊙ z + (hidden side)·W_hh. State: h.
 *
 * @example
 * const gru = new GRU(64, 32);
 * gru.forward(x).shape; // x [8, 20, 64] → [8, 32] (the last step's h)
 */
export class GRU extends RecurrentLayer {
  protected readonly foldsHiddenBias = false;

  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', 'gru', inputSize, hiddenSize, { gates: 3, states: 1, hiddenProjection: true }, options);
  }

  /** Rebuilds a GRU from {@link GRU.getConfig} (weights are loaded separately). */
  static fromConfig(config: LayerConfig): GRU {
    return new GRU(config.inputSize as number, config.hiddenSize as number, config as RecurrentOptions);
  }

  protected stepForward(run: RecurrentRun, step: number): void {
    const { batch, time } = run;
    const projection = run.hiddenProjection!;
    const hidden = run.states[0];
    const H = this.hiddenSize;
    const width = 3 * H;
    const previous = step * batch * H;
    const bias = floatData(this.biasHH);
    this.product.run(
      hidden,
      previous,
      H,
      false,
      this.transposedHiddenWeights,
      0,
      width,
      false,
      projection,
      step * batch * width,
      width,
      batch,
      width,
      H,
      false,
    );
    const t = this.position(step, time);
    // Masked rows keep their state; each run of unmasked rows goes to the cell in one call.
    forEachRowRun(
      run,
      t,
      (row) => {
        const before = previous + row * H;
        hidden.copyWithin(before + batch * H, before, before + H);
      },
      (first, end) => gruCellForward(run, step, first, end, H, bias),
    );
  }

  protected stepBackward(run: RecurrentRun, step: number): void {
    const { batch, time, gateGradients } = run;
    const hiddenGradients = run.hiddenGateGradients!;
    const dh = run.stateGradients[0];
    const previousDh = run.spareHiddenGradient;
    const H = this.hiddenSize;
    const width = 3 * H;
    const t = this.position(step, time);
    forEachRowRun(
      run,
      t,
      (row) => {
        const a = (step * batch + row) * width;
        const r0 = row * H;
        gateGradients.fill(0, a, a + width);
        hiddenGradients.fill(0, a, a + width);
        for (let unit = 0; unit < H; unit++) previousDh[r0 + unit] = dh[r0 + unit];
      },
      (first, end) => gruCellBackward(run, step, first, end, H),
    );
    this.product.run(
      hiddenGradients,
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
