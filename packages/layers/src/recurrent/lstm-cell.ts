import { lstmCellBackwardResident, lstmCellForwardResident } from '@annet/tensor';
import type { RecurrentRun } from './recurrent-run.js';
import { sigmoid, tanh } from './gate-activations.js';

// The elementwise part of an LSTM step for rows [first, end) of step `step` (unmasked rows; the
// layer copies masked ones). On float32 buffers resident in the WebAssembly kernels' memory it
// runs @annet/tensor's SIMD cell kernels (float32, exp and tanh approximations within a few
// ulps): on the train-demo's tagger (batch 32, H = 64, 20 steps, both directions) the TypeScript
// loops below took 5.5 ms of a 23.8 ms step (CPU profile), most of it Math.exp in float64, the
// kernels 1.0 ms of 19.1 ms. Otherwise (float64, a backend without shared memory) the loops run:
// the reference, in float64 arithmetic.

/**
 * The activations in place, c′ = f⊙c + i⊙g, tanh c′ and h′ = o⊙tanh c′ for rows [first, end) of
 * step `step` (see `LSTM` for the equations and `RecurrentRun` for the layout).
 *
 * @example
 * lstmCellForward(run, 0, 0, run.batch, 64);
 */
export function lstmCellForward(run: RecurrentRun, step: number, first: number, end: number, H: number): void {
  const { batch, gates } = run;
  const [hidden, cell] = run.states;
  const cellTanh = run.cellActivations!;
  const width = 4 * H;
  const before = (step * batch + first) * H;
  const after = before + batch * H;
  const a = (step * batch + first) * width;
  // Every buffer of a run has the layer's dtype, so the gates' type stands for all of them.
  if (
    gates instanceof Float32Array &&
    lstmCellForwardResident(
      gates,
      a,
      cell as Float32Array,
      before,
      cell as Float32Array,
      after,
      cellTanh as Float32Array,
      before,
      hidden as Float32Array,
      after,
      end - first,
      H,
    )
  )
    return;
  for (let row = 0; row < end - first; row++) {
    const gate = a + row * width;
    const state = row * H;
    for (let unit = 0; unit < H; unit++) {
      const i = sigmoid(gates[gate + unit]);
      const f = sigmoid(gates[gate + H + unit]);
      const g = tanh(gates[gate + 2 * H + unit]);
      const o = sigmoid(gates[gate + 3 * H + unit]);
      gates[gate + unit] = i;
      gates[gate + H + unit] = f;
      gates[gate + 2 * H + unit] = g;
      gates[gate + 3 * H + unit] = o;
      const c = f * cell[before + state + unit] + i * g;
      const tanhC = tanh(c);
      cell[after + state + unit] = c;
      cellTanh[before + state + unit] = tanhC;
      hidden[after + state + unit] = o * tanhC;
    }
  }
}

/**
 * The gate pre-activation gradients, d c ← d c·f and a zeroed d h_{s−1} (the product with W_hh
 * adds into it) for rows [first, end) of step `step`, from d h′ and d c′ (see `LSTM`).
 *
 * @example
 * lstmCellBackward(run, 0, 0, run.batch, 64);
 */
export function lstmCellBackward(run: RecurrentRun, step: number, first: number, end: number, H: number): void {
  const { batch, gates, gateGradients } = run;
  const cell = run.states[1];
  const cellTanh = run.cellActivations!;
  const [dh, dc] = run.stateGradients;
  const previousDh = run.spareHiddenGradient;
  const width = 4 * H;
  const a = (step * batch + first) * width;
  const before = (step * batch + first) * H;
  const r = first * H;
  if (
    gates instanceof Float32Array &&
    lstmCellBackwardResident(
      gates,
      a,
      cell as Float32Array,
      before,
      cellTanh as Float32Array,
      before,
      dh as Float32Array,
      r,
      dc as Float32Array,
      r,
      gateGradients as Float32Array,
      a,
      end - first,
      H,
    )
  ) {
    previousDh.fill(0, r, end * H);
    return;
  }
  for (let row = 0; row < end - first; row++) {
    const gate = a + row * width;
    const state = row * H;
    for (let unit = 0; unit < H; unit++) {
      const i = gates[gate + unit];
      const f = gates[gate + H + unit];
      const g = gates[gate + 2 * H + unit];
      const o = gates[gate + 3 * H + unit];
      const tanhC = cellTanh[before + state + unit];
      const dhUnit = dh[r + state + unit];
      const dcUnit = dc[r + state + unit] + dhUnit * o * (1 - tanhC * tanhC);
      gateGradients[gate + unit] = dcUnit * g * i * (1 - i);
      gateGradients[gate + H + unit] = dcUnit * cell[before + state + unit] * f * (1 - f);
      gateGradients[gate + 2 * H + unit] = dcUnit * i * (1 - g * g);
      gateGradients[gate + 3 * H + unit] = dhUnit * tanhC * o * (1 - o);
      dc[r + state + unit] = dcUnit * f;
      previousDh[r + state + unit] = 0;
    }
  }
}
