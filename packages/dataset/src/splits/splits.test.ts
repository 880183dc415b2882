import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from '../datasets/array-dataset.js';
import { kFold } from './k-fold.js';
import { randomSplit, splitLengths } from './random-split.js';
import { apportion, trainTestSplit } from './train-test-split.js';

const range = (n: number) => Array.from({ length: n }, (_, index) => index);
const sorted = (values: number[]) => values.slice().sort((a, b) => a - b);
const numbers = (n: number) => new ArrayDataset(range(n));

describe('randomSplit', () => {
  it('turns fractions into counts, handing the remainder out from the first split (hand-derived)', () => {
    // 10 · [0.3, 0.3, 0.4] floors to [3, 3, 4]: no remainder. 11 · the same floors to [3, 3, 4] + 1 → [4, 3, 4].
    expect(splitLengths([0.3, 0.3, 0.4], 10, 'test')).toEqual([3, 3, 4]);
    expect(splitLengths([0.3, 0.3, 0.4], 11, 'test')).toEqual([4, 3, 4]);
    expect(splitLengths([2, 5], 7, 'test')).toEqual([2, 5]);
  });

  it('partitions the dataset, reproducibly from the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer(), (length, seed) => {
        const parts = randomSplit(numbers(length), [0.5, 0.25, 0.25], seed);
        expect(sorted(parts.flatMap((part) => [...part]))).toEqual(range(length));
        const again = randomSplit(numbers(length), [0.5, 0.25, 0.25], seed);
        expect(again.map((part) => [...part])).toEqual(parts.map((part) => [...part]));
      }),
      { numRuns: 50 },
    );
    expect([...randomSplit(numbers(20), [10, 10], 1)[0]]).not.toEqual([...randomSplit(numbers(20), [10, 10], 2)[0]]);
  });

  it('rejects sizes that neither are fractions summing to 1 nor counts summing to the length', () => {
    expect(() => randomSplit(numbers(10), [0.5, 0.4], 0)).toThrow(
      /must be fractions summing to 1 or non-negative integers summing to the dataset length 10/,
    );
    expect(() => randomSplit(numbers(10), [3, 3], 0)).toThrow(/summing to the dataset length 10/);
    expect(() => randomSplit(numbers(10), [], 0)).toThrow(/at least one split size/);
  });
});

describe('trainTestSplit', () => {
  it('splits off ceil(testSize · n) test samples (as scikit-learn)', () => {
    // ceil(0.25 · 10) = 3.
    const { train, test } = trainTestSplit(numbers(10), { testSize: 0.25, seed: 3 });
    expect(test.length).toBe(3);
    expect(train.length).toBe(7);
    expect(sorted([...train, ...test])).toEqual(range(10));
    expect(trainTestSplit(numbers(10), { testSize: 4, seed: 3 }).test.length).toBe(4);
  });

  it('takes the last samples as the test part without shuffling', () => {
    const { train, test } = trainTestSplit(numbers(5), { testSize: 2, shuffle: false });
    expect([...train]).toEqual([0, 1, 2]);
    expect([...test]).toEqual([3, 4]);
  });

  it('keeps every class within one sample of its share when stratified', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 2, maxLength: 200 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        (labels, testSize, seed) => {
          const { train, test } = trainTestSplit(numbers(labels.length), { testSize, seed, stratify: labels });
          const testCount = Math.ceil(testSize * labels.length);
          expect(test.length).toBe(testCount);
          expect(sorted([...train, ...test])).toEqual(range(labels.length));
          for (const label of new Set(labels)) {
            const total = labels.filter((value) => value === label).length;
            const inTest = [...test].filter((index) => labels[index] === label).length;
            expect(Math.abs(inTest - (testCount * total) / labels.length)).toBeLessThan(1);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('apportions by largest remainder (hand-derived)', () => {
    // 5 test samples over classes of 6, 3, 1 (n = 10): exact shares 3, 1.5, 0.5 → floors 3, 1, 0,
    // one left over; the remainders of the last two tie at 0.5 and the larger class wins → [3, 2, 0].
    // 7 over [5, 5]: shares 3.5 and 3.5 → floors 3, 3; full tie, the first class wins → [4, 3].
    expect(apportion(5, [6, 3, 1])).toEqual([3, 2, 0]);
    expect(apportion(7, [5, 5])).toEqual([4, 3]);
  });

  it('rejects bad sizes and mismatched labels', () => {
    expect(() => trainTestSplit(numbers(10), { testSize: 11 })).toThrow(
      /testSize must be a fraction in \(0, 1\) or an integer in \[0, 10\], got 11/,
    );
    expect(() => trainTestSplit(numbers(10), { testSize: 1.5 })).toThrow(/testSize/);
    expect(() => trainTestSplit(numbers(3), { testSize: 1, stratify: [0, 1] })).toThrow(
      /stratify has 2 labels but the dataset has 3 samples/,
    );
    expect(() => trainTestSplit(numbers(3), { testSize: 1, stratify: [0, 1, 0], shuffle: false })).toThrow(
      /stratify needs shuffle: true/,
    );
  });
});

describe('kFold', () => {
  it('gives disjoint test folds that cover the dataset, sizes differing by at most one (hand-derived)', () => {
    // 10 samples in 3 folds: sizes 4, 3, 3 of consecutive blocks without shuffling.
    const folds = kFold(numbers(10), { k: 3 });
    expect(folds.map(({ test }) => [...test])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect([...folds[1].train]).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('partitions any dataset, shuffled or stratified', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 2, max: 6 }),
        fc.boolean(),
        fc.boolean(),
        (labels, k, shuffle, stratified) => {
          fc.pre(k <= labels.length);
          const folds = kFold(numbers(labels.length), {
            k,
            shuffle,
            seed: 4,
            stratify: stratified ? labels : undefined,
          });
          expect(sorted(folds.flatMap(({ test }) => [...test]))).toEqual(range(labels.length));
          const sizes = folds.map(({ test }) => test.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (const { train, test } of folds) expect(sorted([...train, ...test])).toEqual(range(labels.length));
          if (stratified) {
            for (const label of new Set(labels)) {
              const total = labels.filter((value) => value === label).length;
              for (const { test } of folds) {
                const count = [...test].filter((index) => labels[index] === label).length;
                expect(count === Math.floor(total / k) || count === Math.ceil(total / k)).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects k outside [2, n] and mismatched labels', () => {
    expect(() => kFold(numbers(3), { k: 4 })).toThrow(/k must be an integer in \[2, 3\]/);
    expect(() => kFold(numbers(3), { k: 1 })).toThrow(/k must be an integer/);
    expect(() => kFold(numbers(3), { k: 2, stratify: [0] })).toThrow(
      /stratify has 1 labels but the dataset has 3 samples/,
    );
  });
});
