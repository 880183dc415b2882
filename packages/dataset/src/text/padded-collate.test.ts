import { AnnetError, Tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padSequences } from './pad-sequences.js';
import { paddedCollate } from './padded-collate.js';

describe('padSequences', () => {
  it('pads to the longest with lengths and mask, as a hand example says', () => {
    const { values, lengths, mask } = padSequences([[1, 2, 3], [4]]);
    expect(values.dtype).toBe('int32');
    expect(values.toArray()).toEqual([
      [1, 2, 3],
      [4, 0, 0],
    ]);
    expect(lengths.toArray()).toEqual([3, 1]);
    expect(mask.toArray()).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
  });

  it('equals a naive nested-array padding for any sequences, value and target length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 9 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -3, max: 3 }),
        fc.nat(3),
        (sequences, value, extra) => {
          const longest = Math.max(...sequences.map((sequence) => sequence.length));
          const padded = padSequences(sequences, { value, length: longest + extra });
          const naive = sequences.map((sequence) => [
            ...sequence,
            ...Array(longest + extra - sequence.length).fill(value),
          ]);
          expect(padded.values.toArray()).toEqual(longest + extra === 0 ? sequences.map(() => []) : naive);
          expect(padded.lengths.toArray()).toEqual(sequences.map((sequence) => sequence.length));
          expect(padded.mask.toArray()).toEqual(
            sequences.map((sequence) =>
              Array.from({ length: longest + extra }, (_, t) => (t < sequence.length ? 1 : 0)),
            ),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('pads tensors [length, features] along the first axis and keeps their dtype', () => {
    const a = new Tensor(Float32Array.from([1, 2, 3, 4]), [2, 2]);
    const b = new Tensor(Float32Array.from([5, 6]), [1, 2]);
    const { values } = padSequences([a, b], { value: -1 });
    expect(values.dtype).toBe('float32');
    expect(values.toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [-1, -1],
      ],
    ]);
    expect(() => padSequences([a, new Tensor(Float32Array.from([1, 2, 3]), [1, 3])])).toThrow(
      'padSequences: sequence 1 has steps of shape [3] but sequence 0 has [2]',
    );
  });

  it('refuses a sequence longer than maxLength with a typed error naming it', () => {
    let caught: unknown;
    try {
      padSequences([[1], [1, 2, 3]], { maxLength: 2 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnnetError);
    expect((caught as AnnetError).code).toBe('INVALID_ARGUMENT');
    expect((caught as AnnetError).message).toBe(
      'padSequences: sequence 1 has 3 steps, more than the maximum of 2; split or truncate it, or raise maxLength',
    );
    expect(() => padSequences([])).toThrow(/non-empty array/);
    expect(() => padSequences([[1, 2]], { length: 1 })).toThrow(
      /length must be an integer >= the longest sequence \(2\), got 1/,
    );
  });
});

describe('paddedCollate', () => {
  it('pads inputs with 0 and targets with -100, and reports lengths and mask', () => {
    const collate = paddedCollate();
    const batch = collate([
      { input: [5, 6], target: [1, 2] },
      { input: Int32Array.from([7, 8, 9]), target: Int32Array.from([3, 4, 5]) },
    ]);
    expect((batch.inputs as Tensor).toArray()).toEqual([
      [5, 6, 0],
      [7, 8, 9],
    ]);
    expect(batch.targets.toArray()).toEqual([
      [1, 2, -100],
      [3, 4, 5],
    ]);
    expect(batch.lengths.toArray()).toEqual([2, 3]);
    expect(batch.mask.toArray()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
  });

  it('pads named inputs each on their own (word ids and per-word character ids)', () => {
    const collate = paddedCollate({ targetPadding: 0 });
    const batch = collate([
      { input: { words: [4], characters: new Tensor(Int32Array.from([2, 3]), [1, 2]) }, target: [1] },
      { input: { words: [5, 6], characters: new Tensor(Int32Array.from([4, 0, 5, 6]), [2, 2]) }, target: [2, 3] },
    ]);
    const inputs = batch.inputs as Record<string, Tensor>;
    expect(inputs.words.toArray()).toEqual([
      [4, 0],
      [5, 6],
    ]);
    expect(inputs.characters.toArray()).toEqual([
      [
        [2, 3],
        [0, 0],
      ],
      [
        [4, 0],
        [5, 6],
      ],
    ]);
    expect(batch.targets.toArray()).toEqual([
      [1, 0],
      [2, 3],
    ]);
  });

  it('refuses a sample over maxLength, targets of another length and empty batches', () => {
    const collate = paddedCollate({ maxLength: 2 });
    expect(() => collate([{ input: [1, 2, 3], target: [1, 2, 3] }])).toThrow(
      'paddedCollate (targets): sequence 0 has 3 steps, more than the maximum of 2; split or truncate it, or raise maxLength',
    );
    expect(() => collate([{ input: [1], target: [1, 2] }])).toThrow(
      'paddedCollate: sample 0 has 1 input steps but 2 target steps; a sequence task needs one target per step',
    );
    expect(() => collate([])).toThrow(/empty batch/);
  });
});
