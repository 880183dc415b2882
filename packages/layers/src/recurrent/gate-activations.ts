/**
 * σ(x) = 1 / (1 + e^(−x)), the gate nonlinearity of LSTM and GRU cells (exact at ±∞: 0 and 1).
 *
 * @example
 * sigmoid(0); // 0.5
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * tanh x = 1 − 2 / (e^(2x) + 1), with one `Math.exp` (V8's `Math.tanh` costs about two): the
 * cells' hot loops evaluate it once per unit and step. Absolute error within a few ulps of 1
 * (it agrees with `Math.tanh` to 1e-15 in float64), exactly ±1 far out.
 *
 * @example
 * tanh(0); // 0
 */
export function tanh(x: number): number {
  return 1 - 2 / (Math.exp(2 * x) + 1);
}
