/**
 * σ(x) = 1 / (1 + e^(−x)), the gate nonlinearity of LSTM and GRU cells (exact at ±∞: 0 and 1).
 *
 * @example
 * sigmoid(0); // 0.5
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
