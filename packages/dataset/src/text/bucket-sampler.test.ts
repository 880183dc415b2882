import { createRng } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from '../datasets/array-dataset.js';
import { DataLoader } from '../loader/data-loader.js';
import { BucketSampler } from './bucket-sampler.js';
import { paddedCollate } from './padded-collate.js';

const sorted = (values: ArrayLike<number>) => Array.from(values).sort((a, b) => a - b);

describe('BucketSampler', () => {
  it('visits every sample once; each full batch comes from one pool; the short batch is last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 120 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (lengths, batchSize, bucketBatches, seed) => {
          const order = new BucketSampler(lengths, { batchSize, bucketBatches }).epochIndices(
            lengths.length,
            createRng(seed),
          );
          expect(sorted(order)).toEqual(lengths.map((_, index) => index));
          // Naive reference of the pools: the same permutation cut into pools of batchSize·bucketBatches.
          const permutation = Array.from(createRng(seed).permutation(lengths.length));
          const pool = batchSize * bucketBatches;
          const poolOf = new Map(permutation.map((index, position) => [index, Math.floor(position / pool)]));
          const full = Math.floor(lengths.length / batchSize);
          for (let batch = 0; batch < full; batch++) {
            const members = Array.from(order.subarray(batch * batchSize, (batch + 1) * batchSize));
            expect(new Set(members.map((index) => poolOf.get(index))).size).toBe(1);
            // Within a pool sorted by length, a batch spans a run of the sorted lengths: no other pool member lies strictly inside its range.
            const poolMembers = permutation.filter(
              (index) => poolOf.get(index) === poolOf.get(members[0]) && !members.includes(index),
            );
            const low = Math.min(...members.map((index) => lengths[index]));
            const high = Math.max(...members.map((index) => lengths[index]));
            expect(poolMembers.filter((index) => lengths[index] > low && lengths[index] < high)).toEqual([]);
          }
          const rest = Array.from(order.subarray(full * batchSize));
          expect(rest.length).toBe(lengths.length % batchSize);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps padding small: sorted pools waste far less than a plain shuffle', () => {
    const rng = createRng(9);
    const lengths = Array.from({ length: 2000 }, () => 1 + rng.randint(0, 60));
    const waste = (order: ArrayLike<number>) => {
      let padded = 0;
      for (let start = 0; start < order.length; start += 32) {
        const batch = Array.from(order)
          .slice(start, start + 32)
          .map((index) => lengths[index]);
        padded += Math.max(...batch) * batch.length - batch.reduce((sum, length) => sum + length, 0);
      }
      return padded;
    };
    const bucketed = waste(new BucketSampler(lengths, { batchSize: 32 }).epochIndices(2000, createRng(1)));
    const shuffled = waste(createRng(1).permutation(2000));
    // A plain shuffle pads each batch of 32 to about its maximum (≈ 59): ≈ 29 wasted steps per sample; pools of 1,600 sorted leave ≈ 1.
    expect(bucketed).toBeLessThan(shuffled / 10);
  });

  it('sorts the whole epoch by length without shuffle', () => {
    expect(
      Array.from(new BucketSampler([3, 1, 2, 1], { batchSize: 2, shuffle: false }).epochIndices(4, createRng(0))),
    ).toEqual([1, 3, 2, 0]);
  });

  it('resumes mid-epoch through the loader: the rest of an interrupted run equals the uninterrupted one', () => {
    const rng = createRng(4);
    const sentences = Array.from({ length: 103 }, (_, index) =>
      Array.from({ length: 1 + rng.randint(0, 12) }, (_, t) => index * 100 + t),
    );
    const dataset = new ArrayDataset(
      sentences.map((sentence) => ({ input: sentence, target: sentence.map((id) => id % 7) })),
    );
    const options = () => ({
      batchSize: 8,
      sampler: new BucketSampler(
        sentences.map((sentence) => sentence.length),
        { batchSize: 8, bucketBatches: 3 },
      ),
      collate: paddedCollate(),
      seed: 11,
    });
    const render = (batch: { inputs: unknown; targets: { toArray(): unknown } }) =>
      JSON.stringify([(batch.inputs as { toArray(): unknown }).toArray(), batch.targets.toArray()]);
    const straight = new DataLoader(dataset, options());
    const expected = [...straight, ...straight].map(render);
    const first = new DataLoader(dataset, options());
    const seen: string[] = [];
    for (const batch of first) {
      seen.push(render(batch));
      if (seen.length === 5) break;
    }
    const resumed = DataLoader.fromState(dataset, options(), JSON.parse(JSON.stringify(first.state())));
    for (const batch of resumed) seen.push(render(batch));
    for (const batch of resumed) seen.push(render(batch));
    expect(seen).toEqual(expected);
  });

  it('refuses lengths of another dataset and bad options', () => {
    expect(() => new BucketSampler([1, 2], { batchSize: 1 }).epochIndices(3, createRng(0))).toThrow(
      /knows the lengths of 2 samples but the dataset has 3/,
    );
    expect(() => new BucketSampler([1, -2], { batchSize: 1 })).toThrow(/length 1 must be an integer >= 0, got -2/);
    expect(() => new BucketSampler([1], { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1/);
  });
});
