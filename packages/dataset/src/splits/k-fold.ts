import { AnnetError, createRng } from '@annet/tensor';
import type { MapDataset } from '../datasets/map-dataset.js';
import { groupByLabel } from '../samplers/stratified-sampler.js';
import type { TrainTestSplit } from './train-test-split.js';

/**
 * Options of {@link kFold}.
 *
 * @example
 * kFold(dataset, { k: 5, shuffle: true, seed: 1, stratify: labels });
 */
export interface KFoldOptions {
  /** Number of folds, at least 2. */
  readonly k: number;
  /** Shuffle before assigning folds (default false: consecutive blocks). */
  readonly shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** One class per sample: give every fold about the same class proportions. */
  readonly stratify?: ArrayLike<number | string>;
}

/**
 * k-fold cross-validation: `k` splits whose test parts are disjoint and together cover the
 * dataset. Fold sizes differ by at most one (the first `n mod k` folds get the extra sample).
 * Stratified, the samples are laid out class after class and dealt to the folds in turn, so
 * every fold holds `floor` or `ceil` of `n_c / k` samples of each class `c`.
 *
 * @example
 * for (const { train, test } of kFold(dataset, { k: 5, shuffle: true, seed: 1 })) evaluate(fit(train), test);
 */
export function kFold<T>(dataset: MapDataset<T>, options: KFoldOptions): TrainTestSplit<T>[] {
  const length = dataset.length;
  const k = options.k;
  if (!Number.isSafeInteger(k) || k < 2 || k > length) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'kFold',
      `k must be an integer in [2, ${length}] (the number of samples), got ${k}`,
    );
  }
  const rng = createRng(options.seed ?? 0);
  const fold = new Int32Array(length);
  if (options.stratify) {
    if (options.stratify.length !== length) {
      throw new AnnetError(
        'SHAPE_MISMATCH',
        'kFold',
        `stratify has ${options.stratify.length} labels but the dataset has ${length} samples`,
      );
    }
    let dealt = 0;
    for (const group of groupByLabel(options.stratify, 'kFold')) {
      const members = Int32Array.from(group);
      if (options.shuffle) rng.shuffle(members);
      for (const index of members) fold[index] = dealt++ % k;
    }
  } else {
    const order = options.shuffle ? rng.permutation(length) : Int32Array.from({ length }, (_, index) => index);
    const base = Math.floor(length / k);
    const extra = length % k;
    let position = 0;
    for (let current = 0; current < k; current++) {
      const size = base + (current < extra ? 1 : 0);
      for (let step = 0; step < size; step++) fold[order[position++]] = current;
    }
  }
  return Array.from({ length: k }, (_, current) => {
    const test: number[] = [];
    const train: number[] = [];
    for (let index = 0; index < length; index++) (fold[index] === current ? test : train).push(index);
    return { train: dataset.subset(train), test: dataset.subset(test) };
  });
}
