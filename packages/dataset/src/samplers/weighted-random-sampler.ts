import { AnnetError, type Rng } from '@annet/tensor';
import type { Sampler } from './sampler.js';

/**
 * Options of {@link WeightedRandomSampler}.
 *
 * @example
 * new WeightedRandomSampler(weights, { numSamples: 512, replacement: false });
 */
export interface WeightedRandomSamplerOptions {
  /** Samples per epoch (default: the number of weights). */
  readonly numSamples?: number;
  /** Draw with replacement (default true). Without, each index appears at most once. */
  readonly replacement?: boolean;
}

/**
 * Draws index `i` with probability `weights[i] / sum(weights)`, e.g. to oversample rare classes
 * (weight each sample by `1 / count(its class)`). With replacement each draw inverts the
 * cumulative weights by binary search; without replacement it keeps the `numSamples` largest
 * keys `log(u) / w` (Efraimidis and Spirakis, 2006, "Weighted random sampling with a reservoir").
 *
 * @example
 * const sampler = new WeightedRandomSampler([1, 1, 8]); // index 2 about 80% of the time
 * const loader = new DataLoader(dataset, { batchSize: 32, sampler, seed: 1 });
 */
export class WeightedRandomSampler implements Sampler {
  private readonly cumulative: Float64Array;
  private readonly weights: Float64Array;
  private readonly numSamples: number;
  private readonly replacement: boolean;

  constructor(weights: ArrayLike<number>, options: WeightedRandomSamplerOptions = {}) {
    this.weights = Float64Array.from(weights);
    this.cumulative = new Float64Array(this.weights.length);
    let total = 0;
    let positive = 0;
    for (let index = 0; index < this.weights.length; index++) {
      const weight = this.weights[index];
      if (!(weight >= 0) || !Number.isFinite(weight)) {
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'WeightedRandomSampler',
          `weights must be finite and non-negative, got ${weight} at index ${index}`,
        );
      }
      if (weight > 0) positive++;
      total += weight;
      this.cumulative[index] = total;
    }
    this.numSamples = options.numSamples ?? this.weights.length;
    this.replacement = options.replacement ?? true;
    if (!Number.isSafeInteger(this.numSamples) || this.numSamples < 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'WeightedRandomSampler',
        `numSamples must be a non-negative integer, got ${this.numSamples}`,
      );
    }
    if (this.numSamples > 0 && total === 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'WeightedRandomSampler',
        'the weights sum to 0; at least one must be positive',
      );
    }
    if (!this.replacement && this.numSamples > positive) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'WeightedRandomSampler',
        `cannot draw ${this.numSamples} distinct samples without replacement: only ${positive} weights are positive`,
      );
    }
  }

  describe(): string {
    return `WeightedRandomSampler { weights: ${this.weights.length} (fingerprint ${fingerprint(this.weights)}), numSamples: ${this.numSamples}, replacement: ${this.replacement} }`;
  }

  epochIndices(length: number, rng: Rng): Int32Array {
    if (length !== this.weights.length) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'WeightedRandomSampler',
        `the sampler has ${this.weights.length} weights but the dataset has ${length} samples`,
      );
    }
    return this.replacement ? this.withReplacement(rng) : this.withoutReplacement(rng);
  }

  private withReplacement(rng: Rng): Int32Array {
    const cumulative = this.cumulative;
    const total = cumulative[cumulative.length - 1];
    const indices = new Int32Array(this.numSamples);
    for (let position = 0; position < indices.length; position++) {
      const target = rng.uniform() * total;
      // The first index whose cumulative weight exceeds the target; zero weights are never picked.
      let low = 0;
      let high = cumulative.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (cumulative[middle] > target) high = middle;
        else low = middle + 1;
      }
      indices[position] = low;
    }
    return indices;
  }

  private withoutReplacement(rng: Rng): Int32Array {
    const keys = new Float64Array(this.weights.length);
    for (let index = 0; index < keys.length; index++) {
      const weight = this.weights[index];
      // 1 - uniform lies in (0, 1], so the logarithm is finite; zero weights sort last.
      keys[index] = weight > 0 ? Math.log(1 - rng.uniform()) / weight : -Infinity;
    }
    const order = Int32Array.from({ length: keys.length }, (_, index) => index);
    order.sort((a, b) => keys[b] - keys[a] || a - b);
    return order.slice(0, this.numSamples);
  }
}

/** FNV-1a over the weights' float64 bytes, as 8 hex digits: two samplers with other weights differ (almost surely). */
function fingerprint(weights: Float64Array): string {
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  let hash = 0x811c9dc5;
  for (let index = 0; index < bytes.length; index++) hash = Math.imul(hash ^ bytes[index], 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
