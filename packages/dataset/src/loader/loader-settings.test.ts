import { AnnetError, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { IterableDataset } from '../datasets/iterable-dataset.js';
import type { Batch } from '../datasets/sample.js';
import { TensorDataset } from '../datasets/tensor-dataset.js';
import { RandomSampler } from '../samplers/random-sampler.js';
import { StratifiedSampler } from '../samplers/stratified-sampler.js';
import { WeightedRandomSampler } from '../samplers/weighted-random-sampler.js';
import { DataLoader } from './data-loader.js';
import type { DataLoaderOptions } from './loader-options.js';
import type { DataLoaderState } from './loader-state.js';

/** n samples whose target is their index, so a batch shows which samples it holds. */
function numbered(n: number): TensorDataset {
  return new TensorDataset(
    new Tensor(
      Float32Array.from({ length: n }, (_, index) => index),
      [n, 1],
    ),
    Int32Array.from({ length: n }, (_, index) => index),
  );
}

/** The state of a loader with `options` over 20 samples, after `batches` batches. */
function savedAfter(options: DataLoaderOptions<unknown, Batch>, batches: number): DataLoaderState {
  const loader = new DataLoader(numbered(20), options);
  const iterator = loader[Symbol.iterator]();
  for (let index = 0; index < batches; index++) iterator.next();
  iterator.return?.();
  return JSON.parse(JSON.stringify(loader.state())) as DataLoaderState;
}

/** The error `loadState` throws, after checking the loader kept its state. */
function refusal(options: DataLoaderOptions<unknown, Batch>, state: DataLoaderState): AnnetError {
  const loader = new DataLoader(numbered(20), options);
  const before = loader.state();
  let thrown: unknown;
  try {
    loader.loadState(state);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AnnetError);
  expect((thrown as AnnetError).code).toBe('INVALID_STATE');
  expect(loader.state()).toEqual(before);
  return thrown as AnnetError;
}

describe('DataLoader.loadState refuses a state saved by a loader with other settings', () => {
  it("refuses a shuffled loader's state in an unshuffled loader, and the reverse", () => {
    const shuffled = savedAfter({ batchSize: 4, shuffle: true, seed: 3 }, 2);
    expect(refusal({ batchSize: 4 }, shuffled).message).toBe(
      'DataLoader.loadState: shuffle differs: the state was saved by a loader with shuffle: true, but this loader has shuffle: false; create the loader with the options it was saved with',
    );
    expect(refusal({ batchSize: 4, shuffle: true }, savedAfter({ batchSize: 4 }, 2)).message).toContain(
      'shuffle differs: the state was saved by a loader with shuffle: false, but this loader has shuffle: true',
    );
  });

  it('refuses a different batch size, which the state records (batch 4 shuffled into batch 3 unshuffled)', () => {
    const state = savedAfter({ batchSize: 4, shuffle: true, seed: 3 }, 2);
    expect(refusal({ batchSize: 3 }, state).message).toBe(
      'DataLoader.loadState: batchSize differs: the state was saved by a loader with batchSize: 4, but this loader has batchSize: 3; create the loader with the options it was saved with',
    );
  });

  it('refuses a different dropLast', () => {
    expect(
      refusal({ batchSize: 3, dropLast: false }, savedAfter({ batchSize: 3, dropLast: true }, 1)).message,
    ).toContain(
      'dropLast differs: the state was saved by a loader with dropLast: true, but this loader has dropLast: false',
    );
  });

  it('refuses a different sampler or a sampler with other options, naming both', () => {
    const labels = Array.from({ length: 20 }, (_, index) => index % 2);
    const weighted = savedAfter(
      { batchSize: 4, sampler: new WeightedRandomSampler(labels.map((label) => label + 1)) },
      1,
    );
    expect(refusal({ batchSize: 4, shuffle: true }, weighted).message).toMatch(
      /^DataLoader\.loadState: the sampler differs: the state was saved by a loader with sampler: WeightedRandomSampler \{ weights: 20 \(fingerprint [0-9a-f]{8}\), numSamples: 20, replacement: true \}, but this loader has shuffle: true;/,
    );
    expect(
      refusal({ batchSize: 4, sampler: new WeightedRandomSampler(labels.map((label) => 2 - label)) }, weighted).message,
    ).toContain('the sampler differs');
    expect(refusal({ batchSize: 4, sampler: new StratifiedSampler(labels) }, weighted).message).toContain(
      'but this loader has sampler: StratifiedSampler { labels: 20, classes: 2 }',
    );
    const withReplacement = savedAfter(
      { batchSize: 4, sampler: new RandomSampler({ replacement: true, numSamples: 12 }) },
      1,
    );
    expect(refusal({ batchSize: 4, shuffle: true }, withReplacement).message).toContain(
      'saved by a loader with sampler: RandomSampler { replacement: true, numSamples: 12 }, but this loader has shuffle: true',
    );
  });

  it('refuses a stream state with another shuffle buffer', async () => {
    const stream = () => new IterableDataset(() => numbered(10));
    const saver = new DataLoader(stream(), { batchSize: 2, shuffle: true, shuffleBufferSize: 4 });
    const loader = new DataLoader(stream(), { batchSize: 2 });
    expect(() => loader.loadState(saver.state())).toThrow(
      'shuffle differs: the state was saved by a loader with shuffle: true, shuffleBufferSize: 4, but this loader has shuffle: false',
    );
  });

  it('accepts the same settings with another seed (the saved seed wins) and a shuffle: true state in a loader with sampler: new RandomSampler()', () => {
    const state = savedAfter({ batchSize: 4, shuffle: true, seed: 3 }, 2);
    const resumed = DataLoader.fromState(numbered(20), { batchSize: 4, sampler: new RandomSampler(), seed: 99 }, state);
    const reference = new DataLoader(numbered(20), { batchSize: 4, shuffle: true, seed: 3 });
    const expected = [...reference].slice(2).map((batch) => Array.from(batch.targets.toTypedArray()));
    expect([...resumed].map((batch) => Array.from(batch.targets.toTypedArray()))).toEqual(expected);
  });

  it('still reads version-1 states (which record only the batch size) and checks their batch size', () => {
    const { dropLast: _dropLast, order: _order, ...rest } = savedAfter({ batchSize: 4 }, 1);
    const versionOne = { ...rest, version: 1 } as DataLoaderState;
    const loader = DataLoader.fromState(numbered(20), { batchSize: 4 }, versionOne);
    expect(Array.from([...loader][0].targets.toTypedArray())).toEqual([4, 5, 6, 7]);
    expect(refusal({ batchSize: 5 }, versionOne).message).toContain('batchSize differs');
  });
});
