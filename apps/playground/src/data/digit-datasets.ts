import { TensorDataset, type MapDataset, type Sample } from '@annet/dataset';
import { createRng } from '@annet/tensor';
import type { TrainingSettings } from '../training/settings.js';
import type { Digits } from './digits-file.js';

/**
 * The training and validation digits of a run, as datasets of `{ input, target }` samples.
 *
 * @example
 * const { train, validation } = digitDatasets(digits, settings);
 */
export interface DigitDatasets {
  readonly train: MapDataset<Sample>;
  readonly validation: MapDataset<Sample>;
}

/**
 * Draws `trainSamples` training and `validationSamples` validation digits from `digits` with one
 * seeded permutation (disjoint sets), scales pixels to `[0, 1]` as `pixel / 255` in float32, and
 * shapes inputs for the task (`[784]` for the MLP, `[1, 28, 28]` for the CNN).
 *
 * @example
 * const { train } = digitDatasets(digits, { ...defaultSettings, trainSamples: 1000 }); // train.length === 1000
 */
export function digitDatasets(digits: Digits, settings: TrainingSettings): DigitDatasets {
  const order = createRng(settings.seed).permutation(digits.count);
  const pick = (start: number, count: number) => toDataset(digits, order.subarray(start, start + count), settings);
  return { train: pick(0, settings.trainSamples), validation: pick(settings.trainSamples, settings.validationSamples) };
}

function toDataset(digits: Digits, indices: ArrayLike<number>, settings: TrainingSettings): MapDataset<Sample> {
  const size = digits.rows * digits.columns;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let sample = 0; sample < indices.length; sample++) {
    const index = indices[sample];
    labels[sample] = digits.labels[index];
    for (let pixel = 0; pixel < size; pixel++)
      images[sample * size + pixel] = digits.pixels[index * size + pixel] / 255;
  }
  const inputShape = settings.task === 'mlp' ? [size] : [1, digits.rows, digits.columns];
  return new TensorDataset(images, labels, { inputShape, targetShape: [] }) as MapDataset<Sample>;
}
