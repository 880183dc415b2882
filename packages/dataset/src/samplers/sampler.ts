import type { Rng } from '@annet/tensor';
import type { JsonValue } from '../json.js';

/**
 * Decides which samples an epoch visits, and in which order. The {@link DataLoader} calls
 * `epochIndices` once at the start of each epoch with a generator derived from its seed and the
 * epoch number, and saves only that generator's state and its position in the returned order.
 * So a sampler is resumable when `epochIndices` is a pure function of its arguments (and of the
 * state returned by `state`, for a sampler that keeps some). All samplers here are.
 *
 * @example
 * const everyOther: Sampler = {
 *   epochIndices: (length) => Int32Array.from({ length: Math.ceil(length / 2) }, (_, k) => 2 * k),
 * };
 */
export interface Sampler {
  /** The dataset indices of one epoch, in visiting order. */
  epochIndices(length: number, rng: Rng, epoch: number): Int32Array;
  /** State the sampler carries between epochs, as JSON (saved as it was at the epoch's start). */
  state?(): JsonValue;
  /** Restores what {@link Sampler.state} returned. */
  loadState?(state: JsonValue): void;
  /**
   * The sampler and the options that change its order, in one short line
   * (`RandomSampler { replacement: true, numSamples: 100 }`). A loader's state records it and a
   * loader with a sampler described otherwise refuses the state. Default: the class name.
   */
  describe?(): string;
}
