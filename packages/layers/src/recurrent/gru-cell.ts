import { gruCellBackwardResident, gruCellForwardResident } from '@annet/tensor';
import type { RecurrentRun } from './recurrent-run.js';
import { sigmoid, tanh } from './gate-activations.js';

// The elementwise part of a GRU step for rows [first, end) of step `step` (unmasked rows; the
// layer copies masked ones), as lstm-cell.ts does for the LSTM: @annet/tensor's float32 SIMD cell
// kernels on resident float32 buffers, otherwise these TypeScript loops (float64 arithmetic), the
// reference.

/**
 * b_hh added to the hidden-side projection, the activations r, z, n in place and
 * h′ = (1 − z)⊙n + z⊙h for rows [first, end) of step `step` (see `GRU` for the equations).
 *
 * @example
 * gruCellForward(run, 0, 0, run.batch, 32, biasHH);
 */
export function gruCellForward(
  run: RecurrentRun,
  step: number,
  first: number,
  end: number,
  H: number,
  bias: Float32Array | Float64Array,
): void {
  const { batch, gates } = run;
  const projection = run.hiddenProjection!;
  const hidden = run.states[0];
  const width = 3 * H;
  const before = (step * batch + first) * H;
  const after = before + batch * H;
  const a = (step * batch + first) * width;
  // Every buffer of a run has the layer's dtype, so the gates' type stands for all of them.
  if (
    gates instanceof Float32Array &&
    gruCellForwardResident(
      gates,
      a,
      projection as Float32Array,
      a,
      bias as Float32Array,
      0,
      hidden as Float32Array,
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
      const hr = (projection[gate + unit] += bias[unit]);
      const hz = (projection[gate + H + unit] += bias[H + unit]);
      const hn = (projection[gate + 2 * H + unit] += bias[2 * H + unit]);
      const r = sigmoid(gates[gate + unit] + hr);
      const z = sigmoid(gates[gate + H + unit] + hz);
      const n = tanh(gates[gate + 2 * H + unit] + r * hn);
      gates[gate + unit] = r;
      gates[gate + H + unit] = z;
      gates[gate + 2 * H + unit] = n;
      hidden[after + state + unit] = (1 - z) * n + z * hidden[before + state + unit];
    }
  }
}

/**
 * The input- and hidden-side gate gradients and d h′⊙z into d h_{s−1} (the product with W_hh
 * adds the rest) for rows [first, end) of step `step`, from d h′ (see `GRU`).
 *
 * @example
 * gruCellBackward(run, 0, 0, run.batch, 32);
 */
export function gruCellBackward(run: RecurrentRun, step: number, first: number, end: number, H: number): void {
  const { batch, gates, gateGradients } = run;
  const projection = run.hiddenProjection!;
  const hiddenGradients = run.hiddenGateGradients!;
  const hidden = run.states[0];
  const dh = run.stateGradients[0];
  const previousDh = run.spareHiddenGradient;
  const width = 3 * H;
  const a = (step * batch + first) * width;
  const before = (step * batch + first) * H;
  const r0 = first * H;
  if (
    gates instanceof Float32Array &&
    gruCellBackwardResident(
      gates,
      a,
      projection as Float32Array,
      a,
      hidden as Float32Array,
      before,
      dh as Float32Array,
      r0,
      gateGradients as Float32Array,
      a,
      hiddenGradients as Float32Array,
      a,
      previousDh as Float32Array,
      r0,
      end - first,
      H,
    )
  )
    return;
  for (let row = 0; row < end - first; row++) {
    const gate = a + row * width;
    const state = row * H;
    for (let unit = 0; unit < H; unit++) {
      const r = gates[gate + unit];
      const z = gates[gate + H + unit];
      const n = gates[gate + 2 * H + unit];
      const dhUnit = dh[r0 + state + unit];
      const an = dhUnit * (1 - z) * (1 - n * n);
      const ar = an * projection[gate + 2 * H + unit] * r * (1 - r);
      const az = dhUnit * (hidden[before + state + unit] - n) * z * (1 - z);
      gateGradients[gate + unit] = ar;
      gateGradients[gate + H + unit] = az;
      gateGradients[gate + 2 * H + unit] = an;
      hiddenGradients[gate + unit] = ar;
      hiddenGradients[gate + H + unit] = az;
      hiddenGradients[gate + 2 * H + unit] = an * r;
      previousDh[r0 + state + unit] = dhUnit * z;
    }
  }
}
