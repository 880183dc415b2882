import { AnnetError, createRng } from '@annet/tensor';
import type { MapDataset, SubsetDataset } from '../datasets/map-dataset.js';

/**
 * Turns split sizes into sample counts: fractions that sum to 1 are floored and the remainder
 * is handed out one by one from the first split (as PyTorch's `random_split`); otherwise the
 * sizes must be integers summing to `length`.
 */
export function splitLengths(sizes: readonly number[], length: number, operation: string): number[] {
  if (sizes.length === 0) throw new AnnetError('INVALID_ARGUMENT', operation, 'expected at least one split size');
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const fractions =
    sizes.every((size) => size >= 0 && size <= 1) && Math.abs(total - 1) < 1e-9 && !sizes.every(Number.isInteger);
  if (fractions) {
    const counts = sizes.map((fraction) => Math.floor(fraction * length));
    let remainder = length - counts.reduce((sum, count) => sum + count, 0);
    for (let index = 0; remainder > 0; index = (index + 1) % counts.length, remainder--) counts[index]++;
    return counts;
  }
  if (!sizes.every((size) => Number.isSafeInteger(size) && size >= 0) || total !== length) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `split sizes ${JSON.stringify(sizes)} must be fractions summing to 1 or non-negative integers summing to the dataset length ${length}`,
    );
  }
  return sizes.slice();
}

/**
 * Splits a dataset into disjoint random subsets of the given sizes (fractions or counts): one
 * permutation drawn from `createRng(seed)` cut into consecutive pieces, so the same seed gives
 * the same split.
 *
 * @example
 * const [train, validation] = randomSplit(dataset, [0.8, 0.2], 42);
 */
export function randomSplit<T>(dataset: MapDataset<T>, sizes: readonly number[], seed: number): SubsetDataset<T>[] {
  const counts = splitLengths(sizes, dataset.length, 'randomSplit');
  const permutation = createRng(seed).permutation(dataset.length);
  const parts: SubsetDataset<T>[] = [];
  let start = 0;
  for (const count of counts) {
    parts.push(dataset.subset(permutation.subarray(start, start + count)));
    start += count;
  }
  return parts;
}
