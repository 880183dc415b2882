import { AnnetError } from '@annet/tensor';
import type { FloatData } from '../buffers.js';

/**
 * What to do with a row whose every key is masked: `'zeros'` gives it all-zero probabilities
 * (so the attended value is zero and no gradient flows through it), `'error'` throws.
 *
 * @example
 * const policy: FullyMaskedRows = 'zeros';
 */
export type FullyMaskedRows = 'zeros' | 'error';

/**
 * The geometry and masks of one masked softmax over attention scores stored as
 * `[batch, heads, queries, keys]`, row-major.
 *
 * @example
 * const geometry: AttentionMaskGeometry = { batch: 2, heads: 4, queries: 8, keys: 8, scale: 0.25, causal: true, keyPadding: null, fullyMaskedRows: 'zeros' };
 */
export interface AttentionMaskGeometry {
  readonly batch: number;
  readonly heads: number;
  readonly queries: number;
  readonly keys: number;
  /** Multiplies every raw score before the softmax (1/√keyDimension). */
  readonly scale: number;
  /**
   * Query i (of the last `queries` positions of `keys`) sees key j only when j ≤ i + keys − queries:
   * with as many queries as keys, j ≤ i (a decoder); with one query after a cache of keys, all of them.
   */
  readonly causal: boolean;
  /** `[batch, keys]`, non-zero where the key is padding and is ignored (PyTorch's `key_padding_mask`); or null. */
  readonly keyPadding: ArrayLike<number> | null;
  readonly fullyMaskedRows: FullyMaskedRows;
}

/**
 * In place over `values` (`[batch, heads, queries, keys]` scores, from index 0): every row becomes
 * the softmax of `scale · score` over its visible keys, and 0 at masked keys:
 *
 * p_ij = exp(s·x_ij − m_i) / Σ_{k visible} exp(s·x_ik − m_i) for visible j, 0 otherwise,
 * with m_i = max_{k visible} s·x_ik (subtracting the row maximum keeps every exponent ≤ 0, so
 * nothing overflows and the sum is ≥ 1). A row with no visible key is all zeros, or an
 * `INVALID_ARGUMENT` error under `fullyMaskedRows: 'error'`: never NaN. Sums in float64.
 *
 * @example
 * maskedSoftmax(scores, { batch: 1, heads: 1, queries: 2, keys: 2, scale: 1, causal: true, keyPadding: null, fullyMaskedRows: 'zeros' });
 */
export function maskedSoftmax(values: FloatData, geometry: AttentionMaskGeometry): void {
  const { batch, heads, queries, keys, scale, causal, keyPadding } = geometry;
  const shift = keys - queries;
  for (let sample = 0; sample < batch; sample++) {
    const padding = sample * keys;
    for (let head = 0; head < heads; head++) {
      for (let query = 0; query < queries; query++) {
        const row = ((sample * heads + head) * queries + query) * keys;
        const visible = causal ? Math.min(keys, query + shift + 1) : keys;
        let maximum = -Infinity;
        for (let key = 0; key < visible; key++) {
          if (keyPadding !== null && keyPadding[padding + key] !== 0) continue;
          const value = values[row + key] * scale;
          if (value > maximum) maximum = value;
        }
        if (maximum === -Infinity) {
          if (geometry.fullyMaskedRows === 'error') {
            throw new AnnetError(
              'INVALID_ARGUMENT',
              'maskedSoftmax',
              `query ${query} of sample ${sample} sees no key (every key is masked); unmask at least one key per query or use fullyMaskedRows: 'zeros'`,
            );
          }
          values.fill(0, row, row + keys);
          continue;
        }
        let total = 0;
        for (let key = 0; key < keys; key++) {
          const masked = key >= visible || (keyPadding !== null && keyPadding[padding + key] !== 0);
          const exponential = masked ? 0 : Math.exp(values[row + key] * scale - maximum);
          values[row + key] = exponential;
          total += exponential;
        }
        const inverse = 1 / total;
        for (let key = 0; key < visible; key++) values[row + key] *= inverse;
      }
    }
  }
}

/**
 * In place over `gradient` (∂L/∂p, `rows × keys` from index 0): ∂L/∂x = s · p ⊙ (∂L/∂p − Σ_k p_k ∂L/∂p_k)
 * per row, the softmax Jacobian times the scale. Masked entries have p = 0, so they get 0.
 *
 * @example
 * maskedSoftmaxBackward(probabilities, gradient, rows, keys, scale);
 */
export function maskedSoftmaxBackward(
  probabilities: FloatData,
  gradient: FloatData,
  rows: number,
  keys: number,
  scale: number,
): void {
  for (let row = 0; row < rows; row++) {
    const base = row * keys;
    let dot = 0;
    for (let key = 0; key < keys; key++) dot += probabilities[base + key] * gradient[base + key];
    for (let key = 0; key < keys; key++)
      gradient[base + key] = scale * probabilities[base + key] * (gradient[base + key] - dot);
  }
}
