// The elementwise part of one LSTM step in float32, four units at a time, in the layout of
// @annet/layers' lstm.ts: per row the gates [i | f | g | o] (4·hidden floats, PyTorch's order),
// per row of a state `hidden` floats. A row's last hidden % 4 units go through the same vector
// code with their lanes loaded and stored one by one, so every unit rounds alike whatever H is.
// Plain multiplies and adds (no fused multiply-add), so every runtime computes the same bits.

import { loadLanes, oneMinusSquare, sigmoid4, storeLanes } from './cell-lanes';
import { tanh4 } from './tanh-rational';

/** Forward for `count` units of one row: `gates` and the state pointers at the first unit, `quarter` = 4·hidden bytes. */
function forwardUnits(gates: usize, quarter: usize, previous: usize, cell: usize, cellTanh: usize, hidden: usize, count: i32): void {
  const i = sigmoid4(loadLanes(gates, count));
  const f = sigmoid4(loadLanes(gates + quarter, count));
  const g = tanh4(loadLanes(gates + 2 * quarter, count));
  const o = sigmoid4(loadLanes(gates + 3 * quarter, count));
  storeLanes(gates, i, count);
  storeLanes(gates + quarter, f, count);
  storeLanes(gates + 2 * quarter, g, count);
  storeLanes(gates + 3 * quarter, o, count);
  const c = f32x4.add(f32x4.mul(f, loadLanes(previous, count)), f32x4.mul(i, g));
  const t = tanh4(c);
  storeLanes(cell, c, count);
  storeLanes(cellTanh, t, count);
  storeLanes(hidden, f32x4.mul(o, t), count);
}

/**
 * For each of `rows` rows: the gate pre-activations at `gates` (row stride 4·hidden) become
 * their activations i = σ, f = σ, g = tanh, o = σ in place, then c′ = f·c + i·g, tanh c′ and
 * h′ = o·tanh c′ are written to `cell`, `cellTanh` and `hidden`, with c read from `previous`
 * (state rows of stride `hidden`; `cell` may be `previous`). Byte addresses of float32 arrays.
 */
export function lstmCellForwardF32(gates: usize, previous: usize, cell: usize, cellTanh: usize, hidden: usize, rows: i32, units: i32): void {
  const quarter = (<usize>units) << 2;
  for (let row = 0; row < rows; row++) {
    const gateRow = gates + <usize>row * 4 * quarter;
    const stateRow = <usize>row * quarter;
    for (let unit = 0; unit < units; unit += 4) {
      const at = (<usize>unit) << 2;
      const count = min(units - unit, 4);
      forwardUnits(gateRow + at, quarter, previous + stateRow + at, cell + stateRow + at, cellTanh + stateRow + at, hidden + stateRow + at, count);
    }
  }
}

/** Backward for `count` units of one row (pointers at the first unit, `quarter` = 4·hidden bytes). */
function backwardUnits(gates: usize, quarter: usize, previous: usize, cellTanh: usize, hiddenGradient: usize, cellGradient: usize, gateGradients: usize, count: i32): void {
  const one = f32x4.splat(1);
  const i = loadLanes(gates, count);
  const f = loadLanes(gates + quarter, count);
  const g = loadLanes(gates + 2 * quarter, count);
  const o = loadLanes(gates + 3 * quarter, count);
  const t = loadLanes(cellTanh, count);
  const dh = loadLanes(hiddenGradient, count);
  const dc = f32x4.add(loadLanes(cellGradient, count), f32x4.mul(f32x4.mul(dh, o), oneMinusSquare(t)));
  storeLanes(gateGradients, f32x4.mul(f32x4.mul(f32x4.mul(dc, g), i), f32x4.sub(one, i)), count);
  storeLanes(gateGradients + quarter, f32x4.mul(f32x4.mul(f32x4.mul(dc, loadLanes(previous, count)), f), f32x4.sub(one, f)), count);
  storeLanes(gateGradients + 2 * quarter, f32x4.mul(f32x4.mul(dc, i), oneMinusSquare(g)), count);
  storeLanes(gateGradients + 3 * quarter, f32x4.mul(f32x4.mul(f32x4.mul(dh, t), o), f32x4.sub(one, o)), count);
  storeLanes(cellGradient, f32x4.mul(dc, f), count);
}

/**
 * For each of `rows` rows, from the activations at `gates`, c at `previous`, tanh c′ at
 * `cellTanh`, d h′ at `hiddenGradient` and d c′ at `cellGradient`: with
 * d c = d c′ + d h′·o·(1 − tanh²c′), writes the pre-activation gradients d c·g·i(1 − i),
 * d c·c·f(1 − f), d c·i·(1 − g²), d h′·tanh c′·o(1 − o) to `gateGradients` (row stride 4·hidden)
 * and d c·f over `cellGradient`. Byte addresses of float32 arrays.
 */
export function lstmCellBackwardF32(gates: usize, previous: usize, cellTanh: usize, hiddenGradient: usize, cellGradient: usize, gateGradients: usize, rows: i32, units: i32): void {
  const quarter = (<usize>units) << 2;
  for (let row = 0; row < rows; row++) {
    const gateRow = <usize>row * 4 * quarter;
    const stateRow = <usize>row * quarter;
    for (let unit = 0; unit < units; unit += 4) {
      const at = (<usize>unit) << 2;
      const count = min(units - unit, 4);
      backwardUnits(gates + gateRow + at, quarter, previous + stateRow + at, cellTanh + stateRow + at, hiddenGradient + stateRow + at, cellGradient + stateRow + at, gateGradients + gateRow + at, count);
    }
  }
}
