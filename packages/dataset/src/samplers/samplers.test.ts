import { createRng } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomSampler } from './random-sampler.js';
import { SequentialSampler } from './sequential-sampler.js';
import { StratifiedSampler } from './stratified-sampler.js';
import { WeightedRandomSampler } from './weighted-random-sampler.js';

const sorted = (values: ArrayLike<number>) => Array.from(values).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, index) => index);

describe('SequentialSampler and RandomSampler', () => {
  it('sequential visits 0..n-1 in order', () => {
    expect(Array.from(new SequentialSampler().epochIndices(4))).toEqual([0, 1, 2, 3]);
  });

  it('random without replacement is a permutation, a pure function of the generator state', () => {
    fc.assert(
      fc.property(fc.nat(60), fc.integer(), (length, seed) => {
        const order = new RandomSampler().epochIndices(length, createRng(seed));
        expect(sorted(order)).toEqual(range(length));
        expect(Array.from(new RandomSampler().epochIndices(length, createRng(seed)))).toEqual(Array.from(order));
      }),
      { numRuns: 50 },
    );
  });

  it('random with replacement draws numSamples uniform indices', () => {
    const indices = new RandomSampler({ replacement: true, numSamples: 4000 }).epochIndices(4, createRng(1));
    expect(indices).toHaveLength(4000);
    const counts = [0, 0, 0, 0];
    for (const index of indices) counts[index]++;
    // Binomial(4000, 1/4): mean 1000, standard deviation sqrt(4000 · 1/4 · 3/4) ≈ 27.4; allow 5 sigma.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(137);
  });

  it('rejects bad options', () => {
    expect(() => new RandomSampler({ numSamples: 3 })).toThrow(/numSamples needs replacement: true/);
    expect(() => new RandomSampler({ replacement: true, numSamples: -1 })).toThrow(
      /numSamples must be a non-negative integer/,
    );
    expect(() => new RandomSampler({ replacement: true, numSamples: 2 }).epochIndices(0, createRng(0))).toThrow(
      /from an empty dataset/,
    );
  });
});

describe('WeightedRandomSampler', () => {
  it('with replacement, inverts the cumulative weights exactly as a naive linear scan does', () => {
    const weights = [0.5, 0, 2, 1.5, 0, 4];
    const indices = new WeightedRandomSampler(weights, { numSamples: 500 }).epochIndices(6, createRng(21));
    // Reference: u · total, then the first index whose running sum exceeds it.
    const rng = createRng(21);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const expected = range(500).map(() => {
      const target = rng.uniform() * total;
      let running = 0;
      return weights.findIndex((weight) => (running += weight) > target);
    });
    expect(Array.from(indices)).toEqual(expected);
    expect(indices.includes(1) || indices.includes(4)).toBe(false);
  });

  it('with replacement, draws each index with probability w / sum(w)', () => {
    const indices = new WeightedRandomSampler([1, 3, 6], { numSamples: 10000 }).epochIndices(3, createRng(2));
    const counts = [0, 0, 0];
    for (const index of indices) counts[index]++;
    // Expected 1000, 3000, 6000; standard deviations sqrt(n p (1-p)) ≈ 30, 46, 49; allow 5 sigma.
    expect(Math.abs(counts[0] - 1000)).toBeLessThan(150);
    expect(Math.abs(counts[1] - 3000)).toBeLessThan(230);
    expect(Math.abs(counts[2] - 6000)).toBeLessThan(245);
  });

  it('without replacement, draws distinct positive-weight indices, the first with probability w / sum(w)', () => {
    const sampler = new WeightedRandomSampler([2, 0, 1, 7], { numSamples: 3, replacement: false });
    const firsts = [0, 0, 0, 0];
    for (let trial = 0; trial < 4000; trial++) {
      const indices = sampler.epochIndices(4, createRng(trial));
      expect(sorted(indices)).toEqual([0, 2, 3]);
      firsts[indices[0]]++;
    }
    // Expected first picks 800, 0, 400, 2800; standard deviations ≈ 25, 0, 19, 29; allow 5 sigma.
    expect(Math.abs(firsts[0] - 800)).toBeLessThan(127);
    expect(firsts[1]).toBe(0);
    expect(Math.abs(firsts[2] - 400)).toBeLessThan(95);
    expect(Math.abs(firsts[3] - 2800)).toBeLessThan(145);
  });

  it('rejects bad weights and counts', () => {
    expect(() => new WeightedRandomSampler([1, -1])).toThrow(/finite and non-negative, got -1 at index 1/);
    expect(() => new WeightedRandomSampler([1, Infinity])).toThrow(/finite and non-negative/);
    expect(() => new WeightedRandomSampler([0, 0])).toThrow(/the weights sum to 0/);
    expect(() => new WeightedRandomSampler([1, 0, 1], { numSamples: 3, replacement: false })).toThrow(
      /cannot draw 3 distinct samples without replacement: only 2 weights are positive/,
    );
    expect(() => new WeightedRandomSampler([1, 1], { numSamples: 1.5 })).toThrow(
      /numSamples must be a non-negative integer/,
    );
    expect(() => new WeightedRandomSampler([1, 1]).epochIndices(3, createRng(0))).toThrow(
      /has 2 weights but the dataset has 3 samples/,
    );
  });
});

describe('StratifiedSampler', () => {
  it('visits every sample once and spreads every class evenly through the epoch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 120 }),
        fc.integer(),
        (labels, seed) => {
          const order = new StratifiedSampler(labels).epochIndices(labels.length, createRng(seed));
          expect(sorted(order)).toEqual(range(labels.length));
          const classes = [...new Set(labels)];
          const totals = new Map(classes.map((label) => [label, labels.filter((value) => value === label).length]));
          const counts = new Map(classes.map((label) => [label, 0]));
          // Every prefix of length L holds L · p_c samples of class c, give or take 1 + C · p_c.
          order.forEach((index, position) => {
            counts.set(labels[index], counts.get(labels[index])! + 1);
            for (const label of classes) {
              const share = totals.get(label)! / labels.length;
              expect(Math.abs(counts.get(label)! - (position + 1) * share)).toBeLessThanOrEqual(
                1 + classes.length * share + 1e-9,
              );
            }
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps batches of 10 from a 70/30 dataset at 7 and 3, give or take one', () => {
    const labels = [...Array(700).fill('cat'), ...Array(300).fill('dog')];
    const order = new StratifiedSampler(labels).epochIndices(1000, createRng(8));
    for (let start = 0; start < 1000; start += 10) {
      const cats = Array.from(order.subarray(start, start + 10)).filter((index) => labels[index] === 'cat').length;
      expect(Math.abs(cats - 7)).toBeLessThanOrEqual(1);
    }
  });

  it('shuffles within classes: different generators give different orders', () => {
    const labels = range(40).map((index) => index % 2);
    const a = new StratifiedSampler(labels).epochIndices(40, createRng(1));
    const b = new StratifiedSampler(labels).epochIndices(40, createRng(2));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('rejects a label count that does not match and NaN labels', () => {
    expect(() => new StratifiedSampler([0, 1]).epochIndices(3, createRng(0))).toThrow(
      /has 2 labels but the dataset has 3 samples/,
    );
    expect(() => new StratifiedSampler([0, Number.NaN])).toThrow(/label at index 1 is NaN/);
  });
});
