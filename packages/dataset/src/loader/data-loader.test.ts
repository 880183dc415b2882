import { createRng, Tensor, tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from '../datasets/array-dataset.js';
import { IterableDataset } from '../datasets/iterable-dataset.js';
import type { Batch } from '../datasets/sample.js';
import { TensorDataset } from '../datasets/tensor-dataset.js';
import { WeightedRandomSampler } from '../samplers/weighted-random-sampler.js';
import { DataLoader } from './data-loader.js';
import { epochRngState } from './epoch-rng.js';

/** n samples whose input row is [i, 10 i] and target i, so a batch reveals which samples it holds. */
function numbered(n: number): TensorDataset {
  const inputs = new Float32Array(2 * n);
  const targets = new Int32Array(n);
  for (let index = 0; index < n; index++) {
    inputs[2 * index] = index;
    inputs[2 * index + 1] = 10 * index;
    targets[index] = index;
  }
  return new TensorDataset(new Tensor(inputs, [n, 2]), targets);
}

function targetsOf(batches: Iterable<Batch>): number[][] {
  return [...batches].map((batch) => Array.from(batch.targets.toTypedArray()));
}

describe('DataLoader over a map-style dataset', () => {
  it('yields sequential batches with the short last batch (hand-derived)', () => {
    // 7 samples in batches of 3: [0,1,2], [3,4,5], [6].
    const loader = new DataLoader(numbered(7), { batchSize: 3 });
    const batches = [...loader];
    expect(batches.map((batch) => batch.inputs.shape)).toEqual([[3, 2], [3, 2], [1, 2]]);
    expect(batches[1].inputs.toArray()).toEqual([[3, 30], [4, 40], [5, 50]]);
    expect(batches[1].targets.dtype).toBe('int32');
    expect(targetsOf(batches)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(loader.epoch).toBe(1);
    expect(loader.batchesPerEpoch).toBe(3);
  });
});
