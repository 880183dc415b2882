import { AnnetError, Tensor, jsKernels, residentParameterMemory, rngFromState, useKernels } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from '../datasets/array-dataset.js';
import { IterableDataset } from '../datasets/iterable-dataset.js';
import type { Batch } from '../datasets/sample.js';
import { TensorDataset } from '../datasets/tensor-dataset.js';
import type { Sampler } from '../samplers/sampler.js';
import { StratifiedSampler } from '../samplers/stratified-sampler.js';
import { WeightedRandomSampler } from '../samplers/weighted-random-sampler.js';
import { RandomSampler } from '../samplers/random-sampler.js';
import { DataLoader } from './data-loader.js';
import type { DataLoaderOptions } from './loader-options.js';

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

const targetsOf = (batch: Batch) => Array.from(batch.targets.toTypedArray());

/** Batches (as target lists) until the loader reaches `untilEpoch` or `limit` batches were read. */
function run<T>(loader: DataLoader<T, Batch>, untilEpoch: number, limit = Infinity): number[][] {
  const seen: number[][] = [];
  while (loader.epoch < untilEpoch && seen.length < limit) {
    for (const batch of loader) {
      seen.push(targetsOf(batch));
      if (seen.length >= limit) break;
    }
  }
  return seen;
}

async function runAsync<T>(loader: DataLoader<T, Batch>, untilEpoch: number, limit = Infinity): Promise<number[][]> {
  const seen: number[][] = [];
  while (loader.epoch < untilEpoch && seen.length < limit) {
    for await (const batch of loader) {
      seen.push(targetsOf(batch));
      if (seen.length >= limit) break;
    }
  }
  return seen;
}

const sorted = (values: number[]) => values.slice().sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, index) => index);

describe('DataLoader batches', () => {
  it('yields sequential batches with the short last batch (hand-derived)', () => {
    // 7 samples in batches of 3: [0,1,2], [3,4,5], [6].
    const loader = new DataLoader(numbered(7), { batchSize: 3 });
    const batches = [...loader];
    expect(batches.map((batch) => batch.inputs.shape)).toEqual([
      [3, 2],
      [3, 2],
      [1, 2],
    ]);
    expect(batches[1].inputs.toArray()).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
    expect(batches[1].targets.dtype).toBe('int32');
    expect(batches.map(targetsOf)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(loader.epoch).toBe(1);
    expect(loader.batchesPerEpoch).toBe(3);
  });

  it('drops the short last batch with dropLast', () => {
    const loader = new DataLoader(numbered(7), { batchSize: 3, dropLast: true });
    expect([...loader].map(targetsOf)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(loader.batchesPerEpoch).toBe(2);
  });

  it('stacks plain samples through the default collate, with dtypes for numbers', () => {
    const dataset = ArrayDataset.fromPairs(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [0, 1, 0],
    );
    const [first, second] = [...new DataLoader(dataset, { batchSize: 2, dtypes: { targets: 'int32' } })];
    expect(first.inputs.dtype).toBe('float32');
    expect(first.inputs.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(first.targets.dtype).toBe('int32');
    expect(second.targets.toArray()).toEqual([0]);
  });

  it('passes the samples of each batch to a custom collate', () => {
    const loader = new DataLoader(new ArrayDataset(['a', 'b', 'c', 'd', 'e']), {
      batchSize: 2,
      collate: (samples) => samples.join(''),
    });
    expect([...loader]).toEqual(['ab', 'cd', 'e']);
  });

  it('reuses one set of batch arrays with reuseBuffers, and the values are right when received', () => {
    const loader = new DataLoader(numbered(7), { batchSize: 3, reuseBuffers: true });
    // The float32 inputs live in the kernels' shared memory, which all resident arrays share: the
    // array is told apart by its buffer and byte offset (the short last batch is a view of it).
    const inputArrays = new Set<string>();
    const targetArrays = new Set<ArrayBufferLike>();
    const seen: number[][] = [];
    for (const batch of loader) {
      inputArrays.add(`${batch.inputs.data.byteOffset}`);
      targetArrays.add(batch.targets.data.buffer);
      seen.push(targetsOf(batch));
    }
    expect(inputArrays.size).toBe(1);
    expect(targetArrays.size).toBe(1);
    expect(seen).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it("places reused float32 batch arrays in the kernels' memory, fresh ones in ordinary arrays", () => {
    const reused = [...new DataLoader(numbered(4), { batchSize: 2, reuseBuffers: true })];
    // residentParameterMemory answers only for float32 views of the WebAssembly backend's shared memory.
    expect(residentParameterMemory(reused[0].inputs.data as Float32Array)).toBeDefined();
    expect(reused[1].inputs.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(reused[1].inputs.toArray()).toEqual([
      [2, 20],
      [3, 30],
    ]);
    // int32 targets have no kernel memory to live in.
    expect(reused[1].targets.data.buffer).toBeInstanceOf(ArrayBuffer);
    const fresh = [...new DataLoader(numbered(4), { batchSize: 2 })];
    expect(fresh[0].inputs.data.buffer).toBeInstanceOf(ArrayBuffer);
    const previous = useKernels(jsKernels);
    try {
      const underTypeScriptKernels = [...new DataLoader(numbered(4), { batchSize: 2, reuseBuffers: true })];
      expect(underTypeScriptKernels[0].inputs.data.buffer).toBeInstanceOf(ArrayBuffer);
      expect(underTypeScriptKernels[1].inputs.toArray()).toEqual([
        [2, 20],
        [3, 30],
      ]);
    } finally {
      useKernels(previous);
    }
  });

  it('gives the same batches through for await, with and without prefetch', async () => {
    for (const prefetch of [0, 1, 3]) {
      const loader = new DataLoader(numbered(23), { batchSize: 4, shuffle: true, seed: 9, prefetch });
      expect(await runAsync(loader, 2)).toEqual(
        run(new DataLoader(numbered(23), { batchSize: 4, shuffle: true, seed: 9 }), 2),
      );
    }
  });

  it('keeps reused buffers valid until the next batch is requested while prefetching', async () => {
    const loader = new DataLoader(numbered(40), { batchSize: 4, reuseBuffers: true, prefetch: 3 });
    const seen: number[][] = [];
    for await (const batch of loader) {
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the prefetcher run ahead
      seen.push(targetsOf(batch));
    }
    expect(seen.flat()).toEqual(range(40));
  });
});

describe('DataLoader shuffling', () => {
  it('visits every sample exactly once per epoch, in a new order every epoch', () => {
    const loader = new DataLoader(numbered(50), { batchSize: 8, shuffle: true, seed: 3 });
    const epochs = [0, 1, 2].map(() => run(loader, loader.epoch + 1).flat());
    for (const order of epochs) expect(sorted(order)).toEqual(range(50));
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(epochs[1]).not.toEqual(epochs[2]);
    expect(epochs[0]).not.toEqual(range(50));
  });

  it('is reproducible from the seed, and another seed gives another order', () => {
    const a = run(new DataLoader(numbered(30), { batchSize: 4, shuffle: true, seed: 11 }), 3);
    const b = run(new DataLoader(numbered(30), { batchSize: 4, shuffle: true, seed: 11 }), 3);
    const c = run(new DataLoader(numbered(30), { batchSize: 4, shuffle: true, seed: 12 }), 3);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws each epoch as the Fisher–Yates permutation of the generator saved in state().rng', () => {
    const loader = new DataLoader(numbered(20), { batchSize: 20, shuffle: true, seed: 5 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const expected = Array.from(rngFromState(loader.state().rng).permutation(20));
      expect(run(loader, epoch + 1).flat()).toEqual(expected);
    }
  });

  it('jumps to any epoch with setEpoch', () => {
    const reference = new DataLoader(numbered(12), { batchSize: 5, shuffle: true, seed: 2 });
    run(reference, 4);
    const expected = run(reference, 5);
    const jumped = new DataLoader(numbered(12), { batchSize: 5, shuffle: true, seed: 2 });
    jumped.setEpoch(4);
    expect(run(jumped, 5)).toEqual(expected);
  });

  it('continues the same epoch after breaking out of a loop', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 2, shuffle: true, seed: 1 });
    const whole = run(new DataLoader(numbered(10), { batchSize: 2, shuffle: true, seed: 1 }), 1);
    const first = run(loader, 1, 2);
    expect(loader.epoch).toBe(0);
    expect([...first, ...run(loader, 1)]).toEqual(whole);
  });
});

describe('DataLoader state', () => {
  const configurations = fc.record({
    length: fc.integer({ min: 1, max: 30 }),
    batchSize: fc.integer({ min: 1, max: 8 }),
    shuffle: fc.boolean(),
    dropLast: fc.boolean(),
    seed: fc.integer({ min: -1000, max: 1000 }),
    stopAfter: fc.integer({ min: 0, max: 40 }),
  });

  it('restored mid-epoch, yields exactly the batches an uninterrupted loader yields next', () => {
    fc.assert(
      fc.property(configurations, ({ length, batchSize, shuffle, dropLast, seed, stopAfter }) => {
        const options = { batchSize, shuffle, dropLast, seed };
        const uninterrupted = run(new DataLoader(numbered(length), options), 3);
        const first = new DataLoader(numbered(length), options);
        const before = run(first, 3, stopAfter);
        const saved = JSON.parse(JSON.stringify(first.state()));
        // The restoring loader is built with another seed: the saved one wins.
        const resumed = DataLoader.fromState(numbered(length), { ...options, seed: seed + 1 }, saved);
        expect([...before, ...run(resumed, 3)]).toEqual(uninterrupted);
      }),
      { numRuns: 150 },
    );
  });

  it('restores mid-epoch through for await with prefetch too', async () => {
    await fc.assert(
      fc.asyncProperty(configurations, async ({ length, batchSize, shuffle, dropLast, seed, stopAfter }) => {
        const options = { batchSize, shuffle, dropLast, seed, prefetch: 2 };
        const uninterrupted = await runAsync(new DataLoader(numbered(length), options), 2);
        const first = new DataLoader(numbered(length), options);
        const before = await runAsync(first, 2, stopAfter);
        const resumed = DataLoader.fromState(numbered(length), options, JSON.parse(JSON.stringify(first.state())));
        expect([...before, ...(await runAsync(resumed, 2))]).toEqual(uninterrupted);
      }),
      { numRuns: 40 },
    );
  });

  it('is plain JSON naming epoch, position and the epoch generator (hand-checked)', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 3, shuffle: true, seed: 4 });
    run(loader, 1, 2);
    const state = loader.state();
    expect(state).toMatchObject({
      format: 'annet.dataloader',
      version: 2,
      seed: 4,
      epoch: 0,
      position: 6,
      batchSize: 3,
      dropLast: false,
      order: 'shuffle: true',
      length: 10,
      sampler: null,
    });
    expect(state.rng.algorithm).toBe('xoshiro128**');
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('resumes mid-epoch with the weighted, stratified and with-replacement samplers', () => {
    const labels = range(30).map((index) => index % 3);
    const samplers = [
      () =>
        new WeightedRandomSampler(
          range(30).map((index) => 1 + (index % 4)),
          { numSamples: 25 },
        ),
      () =>
        new WeightedRandomSampler(
          range(30).map((index) => index % 5),
          { numSamples: 20, replacement: false },
        ),
      () => new StratifiedSampler(labels),
      () => new RandomSampler({ replacement: true, numSamples: 17 }),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samplers.length - 1 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 20 }),
        (which, batchSize, stopAfter) => {
          const options = () => ({ batchSize, sampler: samplers[which](), seed: 13 });
          const uninterrupted = run(new DataLoader(numbered(30), options()), 3);
          const first = new DataLoader(numbered(30), options());
          const before = run(first, 3, stopAfter);
          const resumed = DataLoader.fromState(numbered(30), options(), JSON.parse(JSON.stringify(first.state())));
          expect([...before, ...run(resumed, 3)]).toEqual(uninterrupted);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('saves and restores a stateful sampler as it was at the start of the epoch', () => {
    /** Visits the samples rotated by a counter that advances every epoch. */
    class RotatingSampler implements Sampler {
      shift = 0;
      epochIndices(length: number) {
        const order = Int32Array.from(range(length), (index) => (index + this.shift) % length);
        this.shift++;
        return order;
      }
      state() {
        return this.shift;
      }
      loadState(state: unknown) {
        this.shift = state as number;
      }
    }
    const options = (): DataLoaderOptions<unknown, Batch> => ({ batchSize: 2, sampler: new RotatingSampler() });
    const uninterrupted = run(new DataLoader(numbered(5), options()), 3);
    const first = new DataLoader(numbered(5), options());
    const before = run(first, 3, 4);
    const resumed = DataLoader.fromState(numbered(5), options(), JSON.parse(JSON.stringify(first.state())));
    expect(first.state().sampler).toBe(1);
    expect([...before, ...run(resumed, 3)]).toEqual(uninterrupted);
  });

  it('rejects states that do not fit the loader, naming the problem', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 3 });
    const state = loader.state();
    const load = (value: unknown) => () => new DataLoader(numbered(10), { batchSize: 3 }).loadState(value as never);
    expect(() => new DataLoader(numbered(11), { batchSize: 3 }).loadState(state)).toThrow(
      /saved for a dataset of 10 samples, but this loader reads a dataset of 11/,
    );
    expect(load({ ...state, format: 'other' })).toThrow(/format is "other"/);
    expect(load({ ...state, version: 3 })).toThrow(/version 3 is not supported \(this build reads versions 1 and 2\)/);
    expect(load({ ...state, dropLast: 'no' })).toThrow(/dropLast must be a boolean, got "no"/);
    expect(load({ ...state, order: {} })).toThrow(/order must be a string, got an object/);
    expect(load({ ...state, position: 11 })).toThrow(/position 11 is past the end of the epoch \(10 samples\)/);
    expect(load({ ...state, epoch: -1 })).toThrow(/epoch must be a non-negative integer/);
    expect(load({ ...state, rng: { algorithm: 'xoshiro128**', words: [0, 0, 0, 0] } })).toThrow(
      /rng is not a generator state/,
    );
    expect(load({ ...state, sampler: 3 })).toThrow(/sampler has no loadState/);
    expect(load(null)).toThrow(AnnetError);
  });

  it('leaves the loader where it was when a state is rejected', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 3, shuffle: true, seed: 5 });
    const iterator = loader[Symbol.iterator]();
    iterator.next();
    iterator.return?.();
    const before = loader.state();
    // Epoch 4 of another seed, at a position past the end: rejected only after the epoch's order is drawn.
    const bad = {
      ...new DataLoader(numbered(10), { batchSize: 3, shuffle: true, seed: 9 }).state(),
      epoch: 4,
      position: 11,
    };
    expect(() => loader.loadState(bad)).toThrow(/position 11 is past the end/);
    expect(loader.state()).toEqual(before);
    expect(loader.epoch).toBe(0);
    expect(loader.seed).toBe(5);
  });
});

describe('DataLoader over async samples and streams', () => {
  it('awaits async samples and prefetches the next batches while the consumer works', async () => {
    const requested: number[] = [];
    const dataset = numbered(12).map(async (sample, index) => {
      requested.push(index);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return sample;
    });
    const loader = new DataLoader(dataset, { batchSize: 3, prefetch: 2 });
    const seen: number[][] = [];
    for await (const batch of loader) {
      if (seen.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        // While the consumer held batch 0, batches 1 and 2 were read.
        expect(requested.length).toBeGreaterThanOrEqual(9);
      }
      seen.push(targetsOf(batch));
    }
    expect(seen).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
      [9, 10, 11],
    ]);
  });

  it('refuses synchronous iteration of async samples and of streams', () => {
    const asyncSamples = numbered(3).map(async (sample) => sample);
    expect(() => [...new DataLoader(asyncSamples, { batchSize: 2 })]).toThrow(
      /returned a Promise; iterate async samples with for await/,
    );
    const stream = new IterableDataset(() => numbered(3));
    expect(() => new DataLoader(stream)[Symbol.iterator]()).toThrow(/reads a stream; iterate it with for await/);
  });

  it('batches a stream, epoch after epoch', async () => {
    const stream = new IterableDataset(() => numbered(7));
    const loader = new DataLoader(stream, { batchSize: 3 });
    expect(await runAsync(loader, 2)).toEqual([[0, 1, 2], [3, 4, 5], [6], [0, 1, 2], [3, 4, 5], [6]]);
    expect(loader.batchesPerEpoch).toBeUndefined();
    expect(loader.state().length).toBeNull();
  });

  it('shuffles a stream through a buffer: a permutation, reproducible, new every epoch', async () => {
    const make = () =>
      new DataLoader(new IterableDataset(() => numbered(40)), {
        batchSize: 5,
        shuffle: true,
        shuffleBufferSize: 8,
        seed: 6,
      });
    const seen = await runAsync(make(), 2);
    const [first, second] = [seen.slice(0, 8).flat(), seen.slice(8).flat()];
    expect(sorted(first)).toEqual(range(40));
    expect(sorted(second)).toEqual(range(40));
    expect(first).not.toEqual(second);
    expect(first).not.toEqual(range(40));
    expect(await runAsync(make(), 2)).toEqual(seen);
  });

  it('restores a stream mid-epoch by replaying it to the saved position', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 20 }),
        async (length, batchSize, dropLast, stopAfter) => {
          const options = { batchSize, dropLast, shuffle: true, shuffleBufferSize: 4, seed: 8 };
          const stream = () => new IterableDataset(() => numbered(length));
          const uninterrupted = await runAsync(new DataLoader(stream(), options), 2);
          const first = new DataLoader(stream(), options);
          const before = await runAsync(first, 2, stopAfter);
          const resumed = DataLoader.fromState(stream(), options, JSON.parse(JSON.stringify(first.state())));
          expect([...before, ...(await runAsync(resumed, 2))]).toEqual(uninterrupted);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fails when a replayed stream is shorter than the saved position', async () => {
    const first = new DataLoader(new IterableDataset(() => numbered(10)), { batchSize: 4 });
    await runAsync(first, 1, 2);
    const resumed = DataLoader.fromState(new IterableDataset(() => numbered(5)), { batchSize: 4 }, first.state());
    await expect(runAsync(resumed, 1)).rejects.toThrow(/stream ended after 5 samples but the restored position is 8/);
  });
});

describe('DataLoader validation', () => {
  it('rejects bad options with messages that say what to do', () => {
    const stream = new IterableDataset(() => numbered(3));
    expect(() => new DataLoader(numbered(3), { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1, got 0/);
    expect(() => new DataLoader(numbered(3), { prefetch: -1 })).toThrow(/prefetch must be an integer >= 0/);
    expect(() => new DataLoader(numbered(3), { seed: 0.5 })).toThrow(/seed must be an integer/);
    expect(
      () => new DataLoader(numbered(3), { shuffle: true, sampler: { epochIndices: () => new Int32Array(0) } }),
    ).toThrow(/either shuffle or sampler/);
    expect(() => new DataLoader(stream, { sampler: { epochIndices: () => new Int32Array(0) } })).toThrow(
      /a sampler needs a map-style dataset/,
    );
    expect(() => new DataLoader(stream, { shuffle: true })).toThrow(/needs shuffleBufferSize/);
    expect(() => new DataLoader(numbered(3), { shuffleBufferSize: 4 })).toThrow(/shuffleBufferSize is for streams/);
    expect(() => new DataLoader([1, 2, 3] as never)).toThrow(/expected a MapDataset or IterableDataset/);
    expect(() => new DataLoader(numbered(3)).setEpoch(-2)).toThrow(/epoch must be an integer >= 0/);
  });

  it('rejects a sampler index outside the dataset', () => {
    const loader = new DataLoader(numbered(3), { sampler: { epochIndices: () => Int32Array.from([0, 3]) } });
    expect(() => [...loader]).toThrow(
      /sampler returned index 3 at position 1 of epoch 0, outside the dataset's range \[0, 3\)/,
    );
  });

  it('stops an older loop once a newer one starts', () => {
    const loader = new DataLoader(numbered(6), { batchSize: 1 });
    const older = loader[Symbol.iterator]();
    older.next();
    const newer = loader[Symbol.iterator]();
    newer.next();
    expect(() => older.next()).toThrow(/another loop over this loader started/);
  });

  it('reports default collate errors naming the sample', () => {
    const ragged = new ArrayDataset([
      { input: [1, 2], target: 0 },
      { input: [1], target: 0 },
    ]);
    expect(() => [...new DataLoader(ragged, { batchSize: 2 })]).toThrow(
      /sample 1 of the batch has input shape \[1\] but sample 0 has \[2\]/,
    );
    expect(() => [...new DataLoader(new ArrayDataset([1, 2]), { batchSize: 2 })]).toThrow(
      /not shaped \{ input, target \}/,
    );
    expect(() => [...new DataLoader(new ArrayDataset([{ input: 'x', target: 0 }]))]).toThrow(
      /has a input of type \[object String\]/,
    );
  });
});
