import { runCellKernel } from './cell-blocks.js';

/**
 * The elementwise part of a GRU step for `rows` rows of H = `hiddenSize` units, in float32
 * WebAssembly SIMD in the kernels' shared memory, in `torch.nn.GRU`'s layout: per row, the
 * hidden-side projection W_hh·h at `projection[projectionOffset + row·3H …]` [r | z | n] gets
 * b_hh (`bias` from `biasOffset`, 3H floats) added in place, h_r, h_z, h_n; the input-side
 * pre-activations at `gates` (W_ih·x + b_ih, same layout) become, in place,
 *
 *   r = σ(· + h_r),   z = σ(· + h_z),   n = tanh(· + r·h_n)
 *
 * and h′ = (1 − z)·n + z·h is written to `hidden`, with h read from `previousHidden` (row stride
 * H). σ and tanh as in `lstmCellForwardResident`. Runs only when the active kernels are
 * WebAssembly on a shared memory and every array is resident there; then returns true.
 * Otherwise does nothing and returns false (the caller runs its own loop).
 *
 * @example
 * if (!gruCellForwardResident(gates, 0, projection, 0, biasHH, 0, hiddens, 0, hiddens, 32 * 64, 32, 64)) cellLoop();
 */
export function gruCellForwardResident(
  gates: Float32Array,
  gatesOffset: number,
  projection: Float32Array,
  projectionOffset: number,
  bias: Float32Array,
  biasOffset: number,
  previousHidden: Float32Array,
  previousHiddenOffset: number,
  hidden: Float32Array,
  hiddenOffset: number,
  rows: number,
  hiddenSize: number,
): boolean {
  return runCellKernel('gruCellForwardResident', 'gruCellForwardF32', rows, hiddenSize, [
    ['gates', gates, gatesOffset, 3],
    ['projection', projection, projectionOffset, 3],
    ['bias', bias, biasOffset, 3, 1],
    ['previousHidden', previousHidden, previousHiddenOffset, 1],
    ['hidden', hidden, hiddenOffset, 1],
  ]);
}

/**
 * The backward of {@link gruCellForwardResident} for `rows` rows of H units: from r, z, n at
 * `gates` (as the forward left them), the biased projection (h_n) at `projection`, h at
 * `previousHidden` and d h′ at `hiddenGradient`, per unit
 *
 *   a_n = d h′·(1 − z)·(1 − n²),   a_r = a_n·h_n·r(1 − r),   a_z = d h′·(h − n)·z(1 − z)
 *
 * written to `gateGradients` as [a_r | a_z | a_n] and to `hiddenGateGradients` as
 * [a_r | a_z | a_n·r] (row stride 3H), and d h′·z to `previousHiddenGradient` (row stride H).
 * float32 throughout (1 − n² as (1 − n)(1 + n)). Resident arrays only: returns false, having done
 * nothing, otherwise.
 *
 * @example
 * if (!gruCellBackwardResident(gates, 0, projection, 0, hiddens, 0, dh, 0, gateGradients, 0, hiddenGateGradients, 0, dhPrevious, 0, 32, 64)) cellBackwardLoop();
 */
export function gruCellBackwardResident(
  gates: Float32Array,
  gatesOffset: number,
  projection: Float32Array,
  projectionOffset: number,
  previousHidden: Float32Array,
  previousHiddenOffset: number,
  hiddenGradient: Float32Array,
  hiddenGradientOffset: number,
  gateGradients: Float32Array,
  gateGradientsOffset: number,
  hiddenGateGradients: Float32Array,
  hiddenGateGradientsOffset: number,
  previousHiddenGradient: Float32Array,
  previousHiddenGradientOffset: number,
  rows: number,
  hiddenSize: number,
): boolean {
  return runCellKernel('gruCellBackwardResident', 'gruCellBackwardF32', rows, hiddenSize, [
    ['gates', gates, gatesOffset, 3],
    ['projection', projection, projectionOffset, 3],
    ['previousHidden', previousHidden, previousHiddenOffset, 1],
    ['hiddenGradient', hiddenGradient, hiddenGradientOffset, 1],
    ['gateGradients', gateGradients, gateGradientsOffset, 3],
    ['hiddenGateGradients', hiddenGateGradients, hiddenGateGradientsOffset, 3],
    ['previousHiddenGradient', previousHiddenGradient, previousHiddenGradientOffset, 1],
  ]);
}
