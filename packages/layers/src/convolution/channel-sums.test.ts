import fc from 'fast-check';
import { add, sum, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { differentiateActivation } from '../core/dense-activation.js';
import {
  accumulate,
  addChannelBias,
  derivativeGradientAndBiasSum,
  reluGradientAndBiasSum,
  storeSums,
  sumOverBatchAndPositions,
} from './channel-sums.js';

const shapeArbitrary = fc.tuple(
  fc.integer({ min: 1, max: 3 }),
  fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 1, max: 11 }),
);

describe('channel sums', () => {
  it('work out by hand on a [2, 2, 3] example', () => {
    // y[n, f, p] = 10n + 3f + p; bias [100, 200].
    const y = Float32Array.from(
      { length: 12 },
      (_, index) => 10 * Math.floor(index / 6) + 3 * (Math.floor(index / 3) % 2) + (index % 3),
    );
    const dy = y.slice();
    addChannelBias(y, 0, 2, 2, 3, new Float32Array([100, 200]), 0);
    expect(Array.from(y)).toEqual([100, 101, 102, 203, 204, 205, 110, 111, 112, 213, 214, 215]);
    // db[0] = (0 + 1 + 2) + (10 + 11 + 12) = 36; db[1] = (3 + 4 + 5) + (13 + 14 + 15) = 54.
    const db = new Float32Array(3).fill(-1);
    sumOverBatchAndPositions(dy, 0, 2, 2, 3, db, 1);
    expect(Array.from(db)).toEqual([-1, 36, 54]);
    // Σₙ over [2, 6]: row 0 + row 1 = [0+10, 1+11, 2+12, 3+13, 4+14, 5+15].
    const sums = new Float64Array(6);
    accumulate(sums, dy, 0, 6);
    accumulate(sums, dy, 6, 6);
    const out = new Float32Array(6);
    storeSums(sums, out, 0, 6);
    expect(Array.from(out)).toEqual([10, 12, 14, 16, 18, 20]);
  });

  it('reluGradientAndBiasSum passes dy where y > 0 (+0 elsewhere) and sums it per channel, worked by hand', () => {
    // [N=2, F=2, P=2]; y > 0 at every other entry; dy = 1…8 (negated for channel 1).
    const y = new Float32Array([1, 0, 2, -1, 3, -0, 4, 5]);
    const dy = new Float32Array([9, 1, 2, -3, -4, 5, -6, -7, -8]);
    const dz = new Float32Array(8);
    const biasGradient = new Float32Array(2);
    reluGradientAndBiasSum(y, dy, 1, dz, 2, 2, 2, new Float64Array(2), biasGradient, 0);
    expect(Array.from(dz)).toEqual([1, 0, -3, 0, 5, 0, -7, -8]);
    expect(Object.is(dz[3], 0)).toBe(true); // −4·0 + 0 is +0
    // db[0] = 1 + 0 + 5 + 0 = 6; db[1] = −3 + 0 − 7 − 8 = −18.
    expect(Array.from(biasGradient)).toEqual([6, -18]);
  });

  it('reluGradientAndBiasSum gives the bits of the ReLU gradient then sum(dz, [0, 2]) in float32', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.nat(), ([batch, channels, positions], seed) => {
        const size = batch * channels * positions;
        const [y, dy] = [draw(size, seed), draw(size, seed + 1)];
        const dz = new Float32Array(size);
        const biasGradient = new Float32Array(channels);
        reluGradientAndBiasSum(
          y,
          dy,
          0,
          dz,
          batch,
          channels,
          positions,
          new Float64Array(channels + 2),
          biasGradient,
          0,
        );
        const expectedDz = Float32Array.from(dy, (value, index) => value * +(y[index] > 0) + 0);
        expect(Array.from(dz)).toEqual(Array.from(expectedDz));
        expect(Array.from(biasGradient)).toEqual(
          Array.from(sum(new Tensor(expectedDz, [batch, channels, positions]), [0, 2]).data),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('derivativeGradientAndBiasSum gives the bits of differentiateActivation then sum(dz, [0, 2]), sigmoid and tanh', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.nat(), fc.boolean(), ([batch, channels, positions], seed, tanh) => {
        const size = batch * channels * positions;
        // Outputs in (−1, 1) as a sigmoid or tanh gives them.
        const y = draw(size, seed).map((value) => value / 51);
        const dy = draw(size + 1, seed + 1);
        const dz = new Float32Array(size);
        const biasGradient = new Float32Array(channels + 1).fill(-1);
        const sums = new Float64Array(channels + 2).fill(3);
        derivativeGradientAndBiasSum(tanh, y, dy, 1, dz, batch, channels, positions, sums, biasGradient, 1);
        const expectedDz = new Float32Array(size);
        differentiateActivation(tanh ? 'tanh' : 'sigmoid', y, dy, 1, expectedDz, size);
        expect(Array.from(dz)).toEqual(Array.from(expectedDz));
        expect(Array.from(biasGradient)).toEqual([
          -1,
          ...Array.from(sum(new Tensor(expectedDz, [batch, channels, positions]), [0, 2]).data),
        ]);
      }),
      { numRuns: 40 },
    );
  });

  it('addChannelBias gives the bits of add(y, bias as a column) in float32', () => {
    fc.assert(
      fc.property(
        shapeArbitrary,
        fc.integer({ min: 0, max: 2 }),
        fc.nat(),
        ([batch, channels, positions], offset, seed) => {
          const [y, bias] = [draw(batch * channels * positions, seed), draw(channels, seed + 1)];
          const expected = add(new Tensor(y, [batch, channels, positions]), new Tensor(bias, [channels, 1]));
          const data = new Float32Array(offset + y.length);
          data.set(y, offset);
          const biasData = new Float32Array(offset + channels);
          biasData.set(bias, offset);
          addChannelBias(data, offset, batch, channels, positions, biasData, offset);
          expect(Array.from(data.subarray(offset))).toEqual(Array.from(expected.data));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sumOverBatchAndPositions gives the bits of sum(dy, [0, 2]) in float32', () => {
    fc.assert(
      fc.property(shapeArbitrary, fc.nat(), ([batch, channels, positions], seed) => {
        const dy = draw(batch * channels * positions, seed);
        const out = new Float32Array(channels);
        sumOverBatchAndPositions(dy, 0, batch, channels, positions, out, 0);
        expect(Array.from(out)).toEqual(Array.from(sum(new Tensor(dy, [batch, channels, positions]), [0, 2]).data));
      }),
      { numRuns: 40 },
    );
  });

  it('accumulate then storeSums give the bits of sum(samples, 0) in float32, from offsets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 13 }), fc.nat(), (batch, size, seed) => {
        const samples = draw(batch * size + 2, seed);
        const sums = new Float64Array(size);
        for (let n = 0; n < batch; n++) accumulate(sums, samples, 2 + n * size, size);
        const out = new Float32Array(size + 1);
        storeSums(sums, out, 1, size);
        expect(Array.from(out.subarray(1))).toEqual(
          Array.from(sum(new Tensor(samples.subarray(2), [batch, size]), 0).data),
        );
      }),
      { numRuns: 40 },
    );
  });
});

/** Deterministic float32 values in about [−50, 50) with fractional parts. */
function draw(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  let state = seed >>> 0;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[index] = ((state >>> 8) / 2 ** 24 - 0.5) * 100;
  }
  return values;
}
