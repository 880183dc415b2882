import { AnnetError, type Rng } from '@annet/tensor';
import type { Sampler } from './sampler.js';

/** Groups positions by label value: class keys in first-seen order, each with its positions. */
export function groupByLabel(labels: ArrayLike<number | string>, operation: string): number[][] {
  const groups = new Map<number | string, number[]>();
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index];
    if (typeof label === 'number' && Number.isNaN(label)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `label at index ${index} is NaN; stratification needs a class for every sample`,
      );
    }
    let group = groups.get(label);
    if (!group) groups.set(label, (group = []));
    group.push(index);
  }
  return [...groups.values()];
}

/**
 * Visits every sample once, shuffled within each class and interleaved so that every stretch of
 * the epoch (so every batch) holds the classes in about their dataset proportions. Each class
 * `c` with `n_c` samples gets one random offset `u_c` in `[0, 1)`; its `k`-th sample (after a
 * shuffle) gets the key `(k + u_c) / n_c`, and the epoch is the samples sorted by key. Any
 * prefix of length `L` then holds `L · n_c / n` samples of class `c`, give or take
 * `1 + C · n_c / n` for `C` classes.
 *
 * @example
 * const sampler = new StratifiedSampler(labels); // labels: one class per sample
 * const loader = new DataLoader(dataset, { batchSize: 32, sampler, seed: 3 });
 */
export class StratifiedSampler implements Sampler {
  private readonly groups: number[][];
  private readonly length: number;

  constructor(labels: ArrayLike<number | string>) {
    this.groups = groupByLabel(labels, 'StratifiedSampler');
    this.length = labels.length;
  }

  describe(): string {
    return `StratifiedSampler { labels: ${this.length}, classes: ${this.groups.length} }`;
  }

  epochIndices(length: number, rng: Rng): Int32Array {
    if (length !== this.length) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'StratifiedSampler',
        `the sampler has ${this.length} labels but the dataset has ${length} samples`,
      );
    }
    const keys = new Float64Array(length);
    const order = new Int32Array(length);
    let filled = 0;
    for (const group of this.groups) {
      const shuffled = rng.shuffle(Int32Array.from(group));
      const offset = rng.uniform();
      for (let rank = 0; rank < shuffled.length; rank++) {
        order[filled] = shuffled[rank];
        keys[shuffled[rank]] = (rank + offset) / shuffled.length;
        filled++;
      }
    }
    // Ties (probability zero) fall back to the index, so the order is a function of the generator alone.
    order.sort((a, b) => keys[a] - keys[b] || a - b);
    return order;
  }
}
