import { BucketSampler, paddedCollate } from '@annet/dataset';
import type { Sequential } from '@annet/model';
import { createRng, type Tensor } from '@annet/tensor';
import type { TagSample } from './tag-data.js';

/**
 * The padding label of tag targets: `paddedCollate`'s default, and the loss's and metric's `ignoreIndex`.
 *
 * @example
 * softmaxCrossEntropy(logits, tags, { ignoreIndex: ignoredLabel });
 */
export const ignoredLabel = -100;

/**
 * The arg-max class of each of `rows` rows of `classes` scores starting at `data[offset]` (the
 * first on ties).
 *
 * @example
 * argmaxRows(Float32Array.from([0, 2, 1, 5, 0, 0]), 0, 2, 3); // Int32Array [1, 0]
 */
export function argmaxRows(data: ArrayLike<number>, offset: number, rows: number, classes: number): Int32Array {
  const best = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const start = offset + row * classes;
    let top = 0;
    for (let k = 1; k < classes; k++) if (data[start + k] > data[start + top]) top = k;
    best[row] = top;
  }
  return best;
}

/**
 * The tagger's predicted tag ids for every sample, in the samples' order: the samples are run
 * through the model (inference mode) sorted by length in batches of `batchSize`, so each batch
 * is padded little; the padding positions' outputs are dropped.
 *
 * @example
 * const predicted = predictTags(model, data.test.samples); // predicted[k][t]: tag id of word t of sentence k
 */
export function predictTags(model: Sequential, samples: readonly TagSample[], batchSize = 64): Int32Array[] {
  const lengths = samples.map((sample) => sample.target.length);
  const order = new BucketSampler(lengths, { batchSize, shuffle: false }).epochIndices(samples.length, createRng(0));
  const collate = paddedCollate();
  const predicted: Int32Array[] = new Array(samples.length);
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = Array.from(order.subarray(start, Math.min(order.length, start + batchSize)));
    const batch = collate(indices.map((index) => samples[index]));
    const scores = model.predict(batch.inputs as Tensor).contiguous();
    const [rows, time, classes] = scores.shape;
    const best = argmaxRows(scores.data, scores.offset, rows * time, classes);
    indices.forEach((index, row) => {
      predicted[index] = best.slice(row * time, row * time + lengths[index]);
    });
  }
  return predicted;
}
