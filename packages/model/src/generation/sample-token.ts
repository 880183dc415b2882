import type { Rng } from '@annet/tensor';

/**
 * Draws one token from `logits[offset … offset + size)`: the argmax at temperature 0 (the first
 * on ties); otherwise p_i ∝ exp((z_i − max z)/T) over the `topK` largest logits (every logit ≥ the
 * k-th largest, so ties at the boundary stay), 0 elsewhere, and the token whose cumulative
 * probability first exceeds one uniform draw u·Σp. `scratch` holds the weights (length ≥ size).
 *
 * @example
 * sampleToken(logits, 0, 85, 0.8, 20, createRng(1), new Float64Array(85));
 */
export function sampleToken(
  logits: Float32Array | Float64Array,
  offset: number,
  size: number,
  temperature: number,
  topK: number,
  rng: Rng,
  scratch: Float64Array,
): number {
  let best = 0;
  for (let index = 1; index < size; index++) if (logits[offset + index] > logits[offset + best]) best = index;
  if (temperature === 0) return best;
  const threshold = topK >= size ? -Infinity : kthLargest(logits, offset, size, topK, scratch);
  const maximum = logits[offset + best];
  let total = 0;
  for (let index = 0; index < size; index++) {
    const logit = logits[offset + index];
    const weight = logit >= threshold ? Math.exp((logit - maximum) / temperature) : 0;
    scratch[index] = weight;
    total += weight;
  }
  const target = rng.uniform() * total;
  let cumulative = 0;
  for (let index = 0; index < size; index++) {
    cumulative += scratch[index];
    if (scratch[index] > 0 && cumulative > target) return index;
  }
  return best;
}

/** The k-th largest of the logits (k ≥ 1), by sorting a copy in `scratch`. */
function kthLargest(
  logits: Float32Array | Float64Array,
  offset: number,
  size: number,
  k: number,
  scratch: Float64Array,
): number {
  for (let index = 0; index < size; index++) scratch[index] = logits[offset + index];
  const sorted = scratch.subarray(0, size).sort();
  return sorted[size - k];
}
