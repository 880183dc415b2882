import { AnnetError, createRng, type Rng } from '@annet/tensor';
import type { MapDataset, SubsetDataset } from '../datasets/map-dataset.js';
import { groupByLabel } from '../samplers/stratified-sampler.js';

/**
 * Options of {@link trainTestSplit}.
 *
 * @example
 * trainTestSplit(dataset, { testSize: 0.2, seed: 7 });
 *
 * @example
 * const { train, test }: TrainTestSplit<Sample> = trainTestSplit(dataset, { testSize: 0.2 });
 */
export interface TrainTestSplitOptions {
  /** The test part: a fraction in (0, 1) (rounded up, as scikit-learn) or a count. */
  readonly testSize: number;
  /** Seed of the shuffle (default 0). */
  readonly seed?: number;
  /** Shuffle before splitting (default true); without, the last samples are the test part. */
  readonly shuffle?: boolean;
  /** One class per sample: keep every class's proportion the same in both parts. */
  readonly stratify?: ArrayLike<number | string>;
}

/** The two parts of a {@link trainTestSplit}. */
export interface TrainTestSplit<T> {
  /** The training part (indices ascending). */
  readonly train: SubsetDataset<T>;
  /** The test part (indices ascending). */
  readonly test: SubsetDataset<T>;
}

function testCount(testSize: number, length: number): number {
  if (testSize > 0 && testSize < 1) return Math.ceil(testSize * length);
  if (Number.isSafeInteger(testSize) && testSize >= 0 && testSize <= length) return testSize;
  throw new AnnetError(
    'INVALID_ARGUMENT',
    'trainTestSplit',
    `testSize must be a fraction in (0, 1) or an integer in [0, ${length}], got ${testSize}`,
  );
}

/**
 * Class `c` of `n_c` samples gets `t_c = floor(t · n_c / n)` test samples, then the `t - Σ t_c`
 * left over go one each to the classes with the largest remainders (largest classes first on
 * ties), so every `t_c` is within 1 of its exact share.
 */
export function apportion(total: number, groupSizes: readonly number[]): number[] {
  const length = groupSizes.reduce((sum, size) => sum + size, 0);
  const exact = groupSizes.map((size) => (length === 0 ? 0 : (total * size) / length));
  const counts = exact.map(Math.floor);
  const order = groupSizes
    .map((_, index) => index)
    .sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || groupSizes[b] - groupSizes[a] || a - b);
  let left = total - counts.reduce((sum, count) => sum + count, 0);
  for (const index of order) {
    if (left === 0) break;
    counts[index]++;
    left--;
  }
  return counts;
}

function stratifiedTest(labels: ArrayLike<number | string>, length: number, count: number, rng: Rng): Int32Array {
  if (labels.length !== length) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      'trainTestSplit',
      `stratify has ${labels.length} labels but the dataset has ${length} samples`,
    );
  }
  const groups = groupByLabel(labels, 'trainTestSplit');
  const counts = apportion(
    count,
    groups.map((group) => group.length),
  );
  const test: number[] = [];
  groups.forEach((group, index) => test.push(...rng.shuffle(Int32Array.from(group)).subarray(0, counts[index])));
  return Int32Array.from(test);
}

/**
 * Splits a dataset into a training and a test part, optionally stratified: with `stratify`
 * each class keeps (within one sample) its proportion in the test part. Seeded, so the same
 * seed gives the same split.
 *
 * @example
 * const { train, test } = trainTestSplit(dataset, { testSize: 0.2, seed: 7, stratify: labels });
 */
export function trainTestSplit<T>(dataset: MapDataset<T>, options: TrainTestSplitOptions): TrainTestSplit<T> {
  const length = dataset.length;
  const count = testCount(options.testSize, length);
  const shuffle = options.shuffle ?? true;
  const rng = createRng(options.seed ?? 0);
  let test: Int32Array;
  if (options.stratify) {
    if (!shuffle)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'trainTestSplit',
        'stratify needs shuffle: true (a stratified split picks samples at random within each class)',
      );
    test = stratifiedTest(options.stratify, length, count, rng);
  } else {
    const order = shuffle ? rng.permutation(length) : Int32Array.from({ length }, (_, index) => index);
    test = order.slice(length - count);
  }
  const inTest = new Uint8Array(length);
  for (const index of test) inTest[index] = 1;
  const train = new Int32Array(length - count);
  let filled = 0;
  for (let index = 0; index < length; index++) if (!inTest[index]) train[filled++] = index;
  return { train: dataset.subset(train), test: dataset.subset(test.sort()) };
}
