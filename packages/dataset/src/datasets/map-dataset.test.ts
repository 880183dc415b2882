import { Tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from './array-dataset.js';
import type { MapDataset } from './map-dataset.js';
import { TensorDataset } from './tensor-dataset.js';

const letters = () => new ArrayDataset(['a', 'b', 'c', 'd', 'e', 'f']);

describe('MapDataset compositions', () => {
  it('map, filter, take, skip, subset and concat give the hand-derived samples', () => {
    expect([...letters().map((letter, index) => `${letter}${index}`)]).toEqual(['a0', 'b1', 'c2', 'd3', 'e4', 'f5']);
    expect([...letters().filter((_, index) => index % 2 === 1)]).toEqual(['b', 'd', 'f']);
    expect([...letters().take(2)]).toEqual(['a', 'b']);
    expect([...letters().take(10)]).toHaveLength(6);
    expect([...letters().skip(4)]).toEqual(['e', 'f']);
    expect([...letters().skip(9)]).toEqual([]);
    expect([...letters().subset([5, 0, 5])]).toEqual(['f', 'a', 'f']);
    expect([
      ...letters()
        .take(1)
        .concat(letters().skip(5), new ArrayDataset([]), new ArrayDataset(['z'])),
    ]).toEqual(['a', 'f', 'z']);
  });

  it('chains lazily: the transform runs only for the samples read', () => {
    let calls = 0;
    const mapped = letters().map((letter) => {
      calls++;
      return letter.toUpperCase();
    });
    expect(mapped.skip(2).take(2).get(1)).toBe('D');
    expect(calls).toBe(1);
  });

  it('exposes subset indices for saving a split', () => {
    const subset = letters().filter((letter) => letter > 'c');
    expect(Array.from(subset.indices)).toEqual([3, 4, 5]);
    expect(subset.source.length).toBe(6);
  });

  it('reads the same samples as a reference array for any chain of compositions', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('take' as const), count: fc.nat(12) }),
      fc.record({ kind: fc.constant('skip' as const), count: fc.nat(12) }),
      fc.record({ kind: fc.constant('filter' as const), modulus: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('concat' as const), count: fc.nat(4) }),
      fc.record({ kind: fc.constant('subset' as const), picks: fc.array(fc.nat(100), { maxLength: 8 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 12 }),
        fc.array(operation, { maxLength: 5 }),
        (items, operations) => {
          let dataset = new ArrayDataset(items) as MapDataset<number>;
          let reference = items.slice();
          for (const step of operations) {
            if (step.kind === 'take') [dataset, reference] = [dataset.take(step.count), reference.slice(0, step.count)];
            if (step.kind === 'skip') [dataset, reference] = [dataset.skip(step.count), reference.slice(step.count)];
            if (step.kind === 'filter')
              [dataset, reference] = [
                dataset.filter((value) => Math.abs(value) % step.modulus === 0),
                reference.filter((value) => Math.abs(value) % step.modulus === 0),
              ];
            if (step.kind === 'concat')
              [dataset, reference] = [
                dataset.concat(new ArrayDataset(items.slice(0, step.count))),
                [...reference, ...items.slice(0, step.count)],
              ];
            if (step.kind === 'subset' && reference.length > 0) {
              const picks = step.picks.map((pick) => pick % reference.length);
              [dataset, reference] = [dataset.subset(picks), picks.map((pick) => reference[pick])];
            }
          }
          expect(dataset.length).toBe(reference.length);
          expect([...dataset]).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the row fast path through subset, take, skip and concat, copying the right rows', () => {
    const inputs = new Tensor(
      Float32Array.from({ length: 12 }, (_, index) => index),
      [6, 2],
    );
    const dataset = new TensorDataset(inputs, Int32Array.from([0, 1, 2, 3, 4, 5]));
    const chained = dataset.subset([5, 4, 3, 2]).skip(1).take(2).concat(dataset.take(1));
    const rows = chained.rows()!;
    expect(rows.input).toEqual({ dtype: 'float32', shape: [2] });
    const copiedInputs = new Float32Array(6);
    const copiedTargets = new Int32Array(3);
    for (let index = 0; index < 3; index++) rows.copyRow(index, copiedInputs, 2 * index, copiedTargets, index);
    // subset [5,4,3,2] → skip 1 → [4,3] → take 2 → [4,3], then + [0].
    expect(Array.from(copiedTargets)).toEqual([4, 3, 0]);
    expect(Array.from(copiedInputs)).toEqual([8, 9, 6, 7, 0, 1]);
    expect(dataset.map((sample) => sample).rows()).toBeUndefined();
    expect(
      chained
        .concat(
          ArrayDataset.fromPairs([new Tensor(new Float32Array(2), [2])], [new Tensor(new Int32Array(1), [])]) as never,
        )
        .rows(),
    ).toBeUndefined();
  });

  it('rejects out-of-range indices and counts', () => {
    expect(() => letters().get(6)).toThrow(/index 6 is outside the dataset's range \[0, 6\)/);
    expect(() => letters().get(-1)).toThrow(/index -1/);
    expect(() => letters().subset([0, 7])).toThrow(/index 7 is outside/);
    expect(() => letters().take(-1)).toThrow(/count must be a non-negative integer/);
    expect(() => letters().skip(1.5)).toThrow(/count must be a non-negative integer/);
    expect(() => letters().take(2).get(2)).toThrow(/index 2 is outside the dataset's range \[0, 2\)/);
    expect(() => letters().concat([1] as never)).toThrow(/expected map-style datasets/);
  });
});
