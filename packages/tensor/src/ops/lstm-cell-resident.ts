import { runCellKernel } from './cell-blocks.js';

/**
 * The elementwise part of an LSTM step for `rows` rows of H = `hiddenSize` units, in float32
 * WebAssembly SIMD in the kernels' shared memory, in the layout of `torch.nn.LSTM`'s gates:
 * per row, the pre-activations at `gates[gatesOffset + row·4H …]` are [i | f | g | o] and become
 * i = σ(·), f = σ(·), g = tanh(·), o = σ(·) in place; then, per unit,
 *
 *   c′ = f·c + i·g,   tanh c′,   h′ = o·tanh c′
 *
 * with c read from `previousCell` and c′, tanh c′, h′ written to `cell`, `cellTanh`, `hidden`
 * (each from its offset, row stride H; `cell` may be `previousCell` at the same offset). σ and
 * tanh are float32 approximations within a few ulps (σ exactly 0 below −87.3 and 1 above about
 * 17, tanh exactly ±1 beyond ±7.905); NaN propagates. Any H: the last H mod 4 units of a row run
 * the same vector operations, lane by lane.
 *
 * Runs only when the active kernels are WebAssembly on a shared memory and every array is
 * resident there; then returns true. Otherwise does nothing and returns false (the caller runs
 * its own loop, which agrees to float32 rounding).
 *
 * @example
 * if (!lstmCellForwardResident(gates, 0, cells, 0, cells, 32 * 128, cellTanh, 0, hiddens, 32 * 128, 32, 128)) cellLoop();
 */
export function lstmCellForwardResident(
  gates: Float32Array,
  gatesOffset: number,
  previousCell: Float32Array,
  previousCellOffset: number,
  cell: Float32Array,
  cellOffset: number,
  cellTanh: Float32Array,
  cellTanhOffset: number,
  hidden: Float32Array,
  hiddenOffset: number,
  rows: number,
  hiddenSize: number,
): boolean {
  return runCellKernel('lstmCellForwardResident', 'lstmCellForwardF32', rows, hiddenSize, [
    ['gates', gates, gatesOffset, 4],
    ['previousCell', previousCell, previousCellOffset, 1],
    ['cell', cell, cellOffset, 1],
    ['cellTanh', cellTanh, cellTanhOffset, 1],
    ['hidden', hidden, hiddenOffset, 1],
  ]);
}

/**
 * The backward of {@link lstmCellForwardResident} for `rows` rows of H units: from the
 * activations i, f, g, o at `gates` (as the forward left them), c at `previousCell`, tanh c′ at
 * `cellTanh`, d h′ at `hiddenGradient` and d c′ at `cellGradient`, per unit
 *
 *   d c = d c′ + d h′·o·(1 − tanh²c′)
 *   d gates = [d c·g·i(1 − i) | d c·c·f(1 − f) | d c·i·(1 − g²) | d h′·tanh c′·o(1 − o)]
 *
 * written to `gateGradients` (row stride 4H), and d c·f (the cell gradient before the step)
 * over `cellGradient`. float32 throughout (1 − a² as (1 − a)(1 + a)). Resident arrays only, as
 * {@link lstmCellForwardResident}: returns false, having done nothing, otherwise.
 *
 * @example
 * if (!lstmCellBackwardResident(gates, 0, cells, 0, cellTanh, 0, dh, 0, dc, 0, gateGradients, 0, 32, 128)) cellBackwardLoop();
 */
export function lstmCellBackwardResident(
  gates: Float32Array,
  gatesOffset: number,
  previousCell: Float32Array,
  previousCellOffset: number,
  cellTanh: Float32Array,
  cellTanhOffset: number,
  hiddenGradient: Float32Array,
  hiddenGradientOffset: number,
  cellGradient: Float32Array,
  cellGradientOffset: number,
  gateGradients: Float32Array,
  gateGradientsOffset: number,
  rows: number,
  hiddenSize: number,
): boolean {
  return runCellKernel('lstmCellBackwardResident', 'lstmCellBackwardF32', rows, hiddenSize, [
    ['gates', gates, gatesOffset, 4],
    ['previousCell', previousCell, previousCellOffset, 1],
    ['cellTanh', cellTanh, cellTanhOffset, 1],
    ['hiddenGradient', hiddenGradient, hiddenGradientOffset, 1],
    ['cellGradient', cellGradient, cellGradientOffset, 1],
    ['gateGradients', gateGradients, gateGradientsOffset, 4],
  ]);
}
