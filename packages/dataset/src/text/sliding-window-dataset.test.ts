import { Tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '../loader/data-loader.js';
import { RandomSampler } from '../samplers/random-sampler.js';
import { SlidingWindowDataset } from './sliding-window-dataset.js';

const range = (n: number) => Int32Array.from({ length: n }, (_, index) => index * 10 + 1);

describe('SlidingWindowDataset', () => {
  it('pairs [t, t+block) with [t+1, t+block+1) for every start, as a naive slice does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        (n, blockSize, stride) => {
          const tokens = range(n);
          const windows = new SlidingWindowDataset(tokens, { blockSize, stride });
          const expected: [number[], number[]][] = [];
          for (let t = 0; t + blockSize + 1 <= n; t += stride)
            expected.push([
              Array.from(tokens.slice(t, t + blockSize)),
              Array.from(tokens.slice(t + 1, t + blockSize + 1)),
            ]);
          expect(windows.length).toBe(expected.length);
          expected.forEach(([input, target], index) => {
            const sample = windows.get(index);
            expect([Array.from(sample.input.toTypedArray()), Array.from(sample.target.toTypedArray())]).toEqual([
              input,
              target,
            ]);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('batches through the row fast path exactly as the per-sample path', () => {
    const windows = new SlidingWindowDataset(range(30), { blockSize: 4, stride: 3 });
    const fast = [...new DataLoader(windows, { batchSize: 3, shuffle: true, seed: 5 })];
    const slow = [
      ...new DataLoader(windows, {
        batchSize: 3,
        shuffle: true,
        seed: 5,
        collate: (samples) => ({
          inputs: samples.map((s) => Array.from(s.input.toTypedArray())),
          targets: samples.map((s) => Array.from(s.target.toTypedArray())),
        }),
      }),
    ];
    expect(fast.map((batch) => batch.inputs.toArray())).toEqual(slow.map((batch) => batch.inputs));
    expect(fast.map((batch) => batch.targets.toArray())).toEqual(slow.map((batch) => batch.targets));
    expect(fast[0].inputs.dtype).toBe('int32');
  });

  it('random windows: starts uniform in [0, n − block) as nanoGPT draws them, and a resumed loader continues them', () => {
    const n = 50;
    const blockSize = 8;
    const windows = new SlidingWindowDataset(range(n), { blockSize });
    expect(windows.length).toBe(n - blockSize);
    const options = { batchSize: 4, sampler: new RandomSampler({ replacement: true, numSamples: 40 }), seed: 3 };
    const loader = new DataLoader(windows, options);
    const all = [...loader].map((batch) => batch.inputs.toArray() as number[][]);
    // The sampler draws starts with rng.randint(0, n − block), from the epoch generator.
    for (const batch of all)
      for (const window of batch) expect(window[0] % 10 === 1 && (window[0] - 1) / 10 < n - blockSize).toBe(true);
    const interrupted = new DataLoader(windows, options);
    const firstPart: number[][][] = [];
    for (const batch of interrupted) {
      firstPart.push(batch.inputs.toArray() as number[][]);
      if (firstPart.length === 3) break;
    }
    const resumed = DataLoader.fromState(
      windows,
      { ...options, sampler: new RandomSampler({ replacement: true, numSamples: 40 }) },
      JSON.parse(JSON.stringify(interrupted.state())),
    );
    const rest = [...resumed].map((batch) => batch.inputs.toArray() as number[][]);
    expect([...firstPart, ...rest]).toEqual(all);
  });

  it('accepts an int32 tensor and refuses bad input', () => {
    expect(new SlidingWindowDataset(new Tensor(range(5), [5]) as Tensor<'int32'>, { blockSize: 2 }).length).toBe(3);
    expect(new SlidingWindowDataset(range(3), { blockSize: 3 }).length).toBe(0);
    expect(() => new SlidingWindowDataset([1, 2, 3] as never, { blockSize: 1 })).toThrow(
      /expected token ids as an Int32Array/,
    );
    expect(() => new SlidingWindowDataset(range(5), { blockSize: 0 })).toThrow(
      /blockSize must be an integer >= 1, got 0/,
    );
    expect(() => new SlidingWindowDataset(range(5), { blockSize: 2, stride: 0 })).toThrow(
      /stride must be an integer >= 1/,
    );
    expect(() => new SlidingWindowDataset(range(5), { blockSize: 2 }).get(3)).toThrow(/index 3 is outside/);
  });
});
