// The elementwise part of one GRU step in float32, four units at a time, in the layout of
// @annet/layers' gru.ts: per row the input-side gates [r | z | n] and the hidden-side
// projection W_hh·h [r | z | n] (3·hidden floats each, PyTorch's order), per row of a state
// `hidden` floats. The last hidden % 4 units of a row go through the same vector code lane by lane.

import { loadLanes, oneMinusSquare, sigmoid4, storeLanes } from './cell-lanes';
import { tanh4 } from './tanh-rational';

/** Forward for `count` units of one row (pointers at the first unit, `third` = 4·hidden bytes). */
function forwardUnits(gates: usize, projection: usize, bias: usize, third: usize, previous: usize, hidden: usize, count: i32): void {
  const hr = f32x4.add(loadLanes(projection, count), loadLanes(bias, count));
  const hz = f32x4.add(loadLanes(projection + third, count), loadLanes(bias + third, count));
  const hn = f32x4.add(loadLanes(projection + 2 * third, count), loadLanes(bias + 2 * third, count));
  storeLanes(projection, hr, count);
  storeLanes(projection + third, hz, count);
  storeLanes(projection + 2 * third, hn, count);
  const r = sigmoid4(f32x4.add(loadLanes(gates, count), hr));
  const z = sigmoid4(f32x4.add(loadLanes(gates + third, count), hz));
  const n = tanh4(f32x4.add(loadLanes(gates + 2 * third, count), f32x4.mul(r, hn)));
  storeLanes(gates, r, count);
  storeLanes(gates + third, z, count);
  storeLanes(gates + 2 * third, n, count);
  const kept = f32x4.mul(z, loadLanes(previous, count));
  storeLanes(hidden, f32x4.add(f32x4.mul(f32x4.sub(f32x4.splat(1), z), n), kept), count);
}

/**
 * For each of `rows` rows: the hidden-side projection at `projection` (row stride 3·hidden) gets
 * `bias` (3·hidden floats, b_hh) added in place, then from the input-side pre-activations at
 * `gates` r = σ(·r + h_r), z = σ(·z + h_z), n = tanh(·n + r·h_n) are stored over them and
 * h′ = (1 − z)·n + z·h written to `hidden`, with h read from `previous` (row stride `hidden`).
 * Byte addresses of float32 arrays.
 */
export function gruCellForwardF32(gates: usize, projection: usize, bias: usize, previous: usize, hidden: usize, rows: i32, units: i32): void {
  const third = (<usize>units) << 2;
  for (let row = 0; row < rows; row++) {
    const gateRow = <usize>row * 3 * third;
    const stateRow = <usize>row * third;
    for (let unit = 0; unit < units; unit += 4) {
      const at = (<usize>unit) << 2;
      const count = min(units - unit, 4);
      forwardUnits(gates + gateRow + at, projection + gateRow + at, bias + at, third, previous + stateRow + at, hidden + stateRow + at, count);
    }
  }
}

/** Backward for `count` units of one row (pointers at the first unit, `third` = 4·hidden bytes). */
function backwardUnits(gates: usize, projection: usize, third: usize, previous: usize, hiddenGradient: usize, gateGradients: usize, hiddenGateGradients: usize, previousGradient: usize, count: i32): void {
  const one = f32x4.splat(1);
  const r = loadLanes(gates, count);
  const z = loadLanes(gates + third, count);
  const n = loadLanes(gates + 2 * third, count);
  const dh = loadLanes(hiddenGradient, count);
  const an = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), oneMinusSquare(n));
  const ar = f32x4.mul(f32x4.mul(f32x4.mul(an, loadLanes(projection + 2 * third, count)), r), f32x4.sub(one, r));
  const az = f32x4.mul(f32x4.mul(f32x4.mul(dh, f32x4.sub(loadLanes(previous, count), n)), z), f32x4.sub(one, z));
  storeLanes(gateGradients, ar, count);
  storeLanes(gateGradients + third, az, count);
  storeLanes(gateGradients + 2 * third, an, count);
  storeLanes(hiddenGateGradients, ar, count);
  storeLanes(hiddenGateGradients + third, az, count);
  storeLanes(hiddenGateGradients + 2 * third, f32x4.mul(an, r), count);
  storeLanes(previousGradient, f32x4.mul(dh, z), count);
}

/**
 * For each of `rows` rows, from r, z, n at `gates`, the biased projection at `projection`, h at
 * `previous` and d h′ at `hiddenGradient`: a_n = d h′·(1 − z)·(1 − n²), a_r = a_n·h_n·r(1 − r),
 * a_z = d h′·(h − n)·z(1 − z) go to `gateGradients` [a_r | a_z | a_n] and `hiddenGateGradients`
 * [a_r | a_z | a_n·r] (row stride 3·hidden), and d h′·z to `previousGradient`. Byte addresses.
 */
export function gruCellBackwardF32(gates: usize, projection: usize, previous: usize, hiddenGradient: usize, gateGradients: usize, hiddenGateGradients: usize, previousGradient: usize, rows: i32, units: i32): void {
  const third = (<usize>units) << 2;
  for (let row = 0; row < rows; row++) {
    const gateRow = <usize>row * 3 * third;
    const stateRow = <usize>row * third;
    for (let unit = 0; unit < units; unit += 4) {
      const at = (<usize>unit) << 2;
      const count = min(units - unit, 4);
      backwardUnits(gates + gateRow + at, projection + gateRow + at, third, previous + stateRow + at, hiddenGradient + stateRow + at, gateGradients + gateRow + at, hiddenGateGradients + gateRow + at, previousGradient + stateRow + at, count);
    }
  }
}
