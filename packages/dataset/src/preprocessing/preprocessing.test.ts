import { Tensor, tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelEncoder } from './label-encoder.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { oneHot } from './one-hot.js';
import { StandardScaler } from './standard-scaler.js';

const matrix = (rows: number[][]) => tensor(rows, { dtype: 'float64' });

describe('StandardScaler', () => {
  it('standardizes with the population mean and standard deviation (hand-derived)', () => {
    // Feature 0: 1, 3, 5 → mean 3, variance (4 + 0 + 4) / 3 = 8/3. Feature 1 is constant → scale 1.
    const scaler = new StandardScaler().fit(
      matrix([
        [1, 7],
        [3, 7],
        [5, 7],
      ]),
    );
    expect(Array.from(scaler.toJSON().mean)).toEqual([3, 7]);
    expect(scaler.toJSON().variance[0]).toBeCloseTo(8 / 3, 12);
    expect(Array.from(scaler.scale)).toEqual([Math.sqrt(8 / 3), 1]);
    const z = scaler.transform(matrix([[5, 8]])).toArray() as number[][];
    expect(z[0][0]).toBeCloseTo(2 / Math.sqrt(8 / 3), 12);
    expect(z[0][1]).toBe(1);
  });

  it('partialFit over chunks equals fit over the whole (a naive two-pass reference)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.nat(30),
        (rows, cut) => {
          const at = Math.min(cut, rows.length);
          const chunked = new StandardScaler();
          if (at > 0) chunked.partialFit(matrix(rows.slice(0, at)));
          if (at < rows.length) chunked.partialFit(matrix(rows.slice(at)));
          for (let feature = 0; feature < 3; feature++) {
            const column = rows.map((row) => row[feature]);
            const mean = column.reduce((sum, value) => sum + value, 0) / column.length;
            const variance = column.reduce((sum, value) => sum + (value - mean) ** 2, 0) / column.length;
            expect(chunked.toJSON().mean[feature]).toBeCloseTo(mean, 6);
            expect(chunked.toJSON().variance[feature]).toBeCloseTo(variance, 4);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('round-trips through JSON and inverts its transform; images use per-pixel statistics', () => {
    const images = new Tensor(
      Float32Array.from({ length: 24 }, (_, index) => (index * 7) % 11),
      [3, 2, 4],
    );
    const scaler = new StandardScaler().fit(images);
    const restored = StandardScaler.fromJSON(JSON.parse(JSON.stringify(scaler.toJSON())));
    const z = restored.transform(images);
    expect(z.shape).toEqual([3, 2, 4]);
    expect(z.dtype).toBe('float32');
    expect(
      Array.from(restored.inverseTransform(z).toTypedArray()).map((value) => Math.round(value * 1e4) / 1e4 + 0),
    ).toEqual(Array.from(images.data));
    expect(restored.toJSON()).toEqual(scaler.toJSON());
  });

  it('reports misuse', () => {
    expect(() => new StandardScaler().transform(matrix([[1]]))).toThrow(/not fitted; call fit\(trainingInputs\) first/);
    const scaler = new StandardScaler().fit(matrix([[1, 2]]));
    expect(() => scaler.transform(matrix([[1, 2, 3]]))).toThrow(/fitted on 2 features but got shape \[1,3\]/);
    expect(() =>
      new StandardScaler().fit(
        matrix([
          [1, 2],
          [Number.NaN, 1],
        ]),
      ),
    ).toThrow(/NaN at sample 1, feature 0/);
    expect(() => StandardScaler.fromJSON({ kind: 'MinMaxScaler' } as never)).toThrow(/expected "StandardScaler"/);
    expect(() => StandardScaler.fromJSON({ kind: 'StandardScaler', count: 2, mean: [1], variance: [1, 2] })).toThrow(
      /variance must be an array of 1 finite numbers/,
    );
    expect(() => new StandardScaler().fit([1, 2] as never)).toThrow(/expected a Tensor/);
  });
});

describe('MinMaxScaler', () => {
  it('maps the training range onto featureRange (hand-derived)', () => {
    // Feature 0 spans [2, 6]: 4 → (4 - 2) / 4 · 2 - 1 = 0. Feature 1 is constant 5 → low.
    const scaler = new MinMaxScaler({ featureRange: [-1, 1] }).fit(
      matrix([
        [2, 5],
        [6, 5],
      ]),
    );
    expect(
      scaler
        .transform(
          matrix([
            [4, 5],
            [2, 5],
            [6, 5],
          ]),
        )
        .toArray(),
    ).toEqual([
      [0, -1],
      [-1, -1],
      [1, -1],
    ]);
    expect(scaler.inverseTransform(matrix([[0, -1]])).toArray()).toEqual([[4, 5]]);
  });

  it('partialFit widens the range; JSON round-trips', () => {
    const scaler = new MinMaxScaler().partialFit(matrix([[1], [3]])).partialFit(matrix([[-1]]));
    expect(scaler.toJSON()).toEqual({ kind: 'MinMaxScaler', featureRange: [0, 1], count: 3, min: [-1], max: [3] });
    expect(
      MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(scaler.toJSON())))
        .transform(matrix([[1]]))
        .toArray(),
    ).toEqual([[0.5]]);
  });

  it('reports misuse', () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(/low < high/);
    expect(() => new MinMaxScaler().toJSON()).toThrow(/not fitted/);
    expect(() =>
      MinMaxScaler.fromJSON({ kind: 'MinMaxScaler', featureRange: [0, 1], count: 1, min: [2], max: [1] }),
    ).toThrow(/every min must be <= its max/);
  });
});

describe('oneHot', () => {
  it('encodes class indices (hand-derived), keeping the label shape', () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const encoded = oneHot(tensor([[1], [0]], { dtype: 'int32' }), 2, { dtype: 'int32' });
    expect(encoded.shape).toEqual([2, 1, 2]);
    expect(encoded.toArray()).toEqual([[[0, 1]], [[1, 0]]]);
  });

  it('names the first label outside the class range', () => {
    expect(() => oneHot([0, 3, 1], 3)).toThrow(/item 1: label 3 is outside the class range \[0, 3\)/);
    expect(() => oneHot([0.5], 3)).toThrow(/label 0.5 is outside/);
    expect(() => oneHot([0], 0)).toThrow(/numClasses must be a positive integer/);
  });
});

describe('LabelEncoder', () => {
  it('codes sorted distinct names and decodes them back', () => {
    const encoder = new LabelEncoder().fit(['cat', 'dog', 'cat', 'bird']);
    expect(encoder.classes).toEqual(['bird', 'cat', 'dog']);
    expect(encoder.numClasses).toBe(3);
    const codes = encoder.transform(['dog', 'bird', 'cat']);
    expect(codes.dtype).toBe('int32');
    expect(codes.toArray()).toEqual([2, 0, 1]);
    expect(encoder.inverseTransform(codes)).toEqual(['dog', 'bird', 'cat']);
    expect(
      LabelEncoder.fromJSON(JSON.parse(JSON.stringify(encoder.toJSON())))
        .transform(['dog'])
        .toArray(),
    ).toEqual([2]);
  });

  it('names unknown classes and bad codes', () => {
    const encoder = new LabelEncoder(['no', 'yes']);
    expect(() => encoder.transform(['yes', 'maybe'])).toThrow(
      /"maybe" at position 1 is not a known class; known classes: \["no","yes"\]/,
    );
    expect(() => encoder.inverseTransform([2])).toThrow(/code 2 at position 0 is outside the class range \[0, 2\)/);
    expect(() => new LabelEncoder().transform(['a'])).toThrow(/has no classes/);
    expect(() => new LabelEncoder(['a', 'a'])).toThrow(/classes must be distinct strings/);
    expect(() => new LabelEncoder().fit([1 as never])).toThrow(/expected string class names/);
  });
});
