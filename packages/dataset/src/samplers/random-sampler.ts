import { AnnetError, type Rng } from '@annet/tensor';
import type { Sampler } from './sampler.js';

/**
 * Options of {@link RandomSampler}.
 *
 * @example
 * new RandomSampler({ replacement: true, numSamples: 1000 });
 */
export interface RandomSamplerOptions {
  /** Draw with replacement (independent uniform indices) instead of a permutation. Default false. */
  readonly replacement?: boolean;
  /** Samples per epoch with replacement (default: the dataset length). */
  readonly numSamples?: number;
}

/**
 * Visits the samples in a uniformly random order: without replacement a full permutation
 * (Fisher–Yates over the epoch's generator), with replacement `numSamples` independent uniform
 * indices. What `shuffle: true` uses.
 *
 * @example
 * new RandomSampler().epochIndices(5, createRng(7)); // a permutation of 0..4
 */
export class RandomSampler implements Sampler {
  private readonly replacement: boolean;
  private readonly numSamples: number | undefined;

  constructor(options: RandomSamplerOptions = {}) {
    this.replacement = options.replacement ?? false;
    this.numSamples = options.numSamples;
    if (this.numSamples !== undefined && (!Number.isSafeInteger(this.numSamples) || this.numSamples < 0)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'RandomSampler',
        `numSamples must be a non-negative integer, got ${this.numSamples}`,
      );
    }
    if (this.numSamples !== undefined && !this.replacement) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'RandomSampler',
        'numSamples needs replacement: true; without replacement an epoch is a permutation of the whole dataset (use subset or take for fewer samples)',
      );
    }
  }

  describe(): string {
    return this.replacement
      ? `RandomSampler { replacement: true, numSamples: ${this.numSamples ?? 'the dataset length'} }`
      : 'RandomSampler';
  }

  epochIndices(length: number, rng: Rng): Int32Array {
    if (!this.replacement) return rng.permutation(length);
    const count = this.numSamples ?? length;
    if (length === 0 && count > 0) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'RandomSampler',
        `cannot draw ${count} samples with replacement from an empty dataset`,
      );
    }
    const indices = new Int32Array(count);
    for (let position = 0; position < count; position++) indices[position] = rng.randint(0, length);
    return indices;
  }
}
