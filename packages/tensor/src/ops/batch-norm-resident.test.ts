import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentZeros } from '../resident.js';
import {
  batchNormGradientSumsResident,
  batchNormInputGradientResident,
  batchNormNormalizeResident,
  channelSumsResident,
} from './batch-norm-resident.js';

function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)]).data as Float32Array;
  array.set(values);
  return array;
}

const layoutArbitrary = fc.record({
  batch: fc.integer({ min: 1, max: 4 }),
  channels: fc.integer({ min: 1, max: 5 }),
  inner: fc.integer({ min: 1, max: 23 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
});

const valuesOf = (count: number, seed: number) =>
  Array.from({ length: count }, (_, i) => Math.fround(3 * Math.sin(seed + 0.91 * i) + 0.5));

/** The float64 sums of a plain loop (the reference the two-lane kernel is held to). */
function referenceSums(
  x: ArrayLike<number>,
  batch: number,
  channels: number,
  inner: number,
  term: (value: number, index: number, channel: number) => number,
): number[] {
  const sums = new Array<number>(channels).fill(0);
  for (let n = 0; n < batch; n++)
    for (let c = 0; c < channels; c++)
      for (let i = 0; i < inner; i++) {
        const index = (n * channels + c) * inner + i;
        sums[c] += term(x[index], index, c);
      }
  return sums;
}

const closeTo = (actual: number, expected: number, scale: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-13 * scale);

describe('BatchNorm passes on resident arrays (WebAssembly SIMD)', () => {
  it('channel sums and squared deviations match a float64 loop to float64 rounding (two lanes, another order)', () => {
    fc.assert(
      fc.property(layoutArbitrary, ({ batch, channels, inner, seed }) => {
        const layout = { batch, channels, inner };
        const values = valuesOf(batch * channels * inner + 3, seed);
        const x = resident(values);
        const sums = new Float64Array(channels).fill(9);
        expect(channelSumsResident(x, 3, layout, sums)).toBe(true);
        const shifted = values.slice(3);
        const expected = referenceSums(shifted, batch, channels, inner, (value) => value);
        expected.forEach((value, c) => closeTo(sums[c], value, 3 * batch * inner));
        const mean = Float64Array.from(expected, (value) => value / (batch * inner));
        const squares = new Float64Array(channels);
        expect(channelSumsResident(x, 3, layout, squares, mean)).toBe(true);
        referenceSums(shifted, batch, channels, inner, (value, _, c) => (value - mean[c]) ** 2).forEach((value, c) =>
          closeTo(squares[c], value, 16 * batch * inner),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('normalize and the input gradient give the bits of the same float64 expression rounded once', () => {
    fc.assert(
      fc.property(layoutArbitrary, ({ batch, channels, inner, seed }) => {
        const layout = { batch, channels, inner };
        const size = batch * channels * inner;
        const x = resident(valuesOf(size, seed));
        const dy = resident(valuesOf(size + 1, seed + 1));
        const perChannel = (shift: number) =>
          Float64Array.from({ length: channels }, (_, c) => Math.cos(shift + c) * 1.7);
        const [mean, scale, shift] = [perChannel(1), perChannel(2), perChannel(3)];
        const y = resident(new Float32Array(size));
        expect(batchNormNormalizeResident(x, 0, y, layout, mean, scale, shift)).toBe(true);
        const statistics = {
          mean,
          inverseDeviation: perChannel(4),
          factor: perChannel(5),
          meanGradient: perChannel(6),
          meanGradientNormalized: perChannel(7),
        };
        const dx = resident(new Float32Array(size));
        expect(batchNormInputGradientResident(x, 0, dy, 1, dx, layout, statistics)).toBe(true);
        for (let index = 0; index < size; index++) {
          const c = Math.floor(index / inner) % channels;
          expect(y[index]).toBe(Math.fround((x[index] - mean[c]) * scale[c] + shift[c]));
          const normalized = (x[index] - mean[c]) * statistics.inverseDeviation[c];
          const gradient =
            statistics.factor[c] *
            (dy[index + 1] - statistics.meanGradient[c] - normalized * statistics.meanGradientNormalized[c]);
          expect(dx[index]).toBe(Math.fround(gradient));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the backward sums match a float64 loop to float64 rounding', () => {
    fc.assert(
      fc.property(layoutArbitrary, ({ batch, channels, inner, seed }) => {
        const layout = { batch, channels, inner };
        const size = batch * channels * inner;
        const x = resident(valuesOf(size, seed));
        const dy = resident(valuesOf(size, seed + 5));
        const mean = Float64Array.from({ length: channels }, (_, c) => 0.1 * c);
        const inverseDeviation = Float64Array.from({ length: channels }, (_, c) => 1 + 0.5 * c);
        const sumGradient = new Float64Array(channels).fill(4);
        const sumGradientNormalized = new Float64Array(channels).fill(4);
        expect(
          batchNormGradientSumsResident(
            x,
            0,
            dy,
            0,
            layout,
            mean,
            inverseDeviation,
            sumGradient,
            sumGradientNormalized,
          ),
        ).toBe(true);
        referenceSums(dy, batch, channels, inner, (value) => value).forEach((value, c) =>
          closeTo(sumGradient[c], value, 4 * batch * inner),
        );
        referenceSums(
          dy,
          batch,
          channels,
          inner,
          (g, index, c) => g * (x[index] - mean[c]) * inverseDeviation[c],
        ).forEach((value, c) => closeTo(sumGradientNormalized[c], value, 64 * batch * inner));
      }),
      { numRuns: 100 },
    );
  });

  it('return false for ordinary arrays and refuse layouts or statistics that do not fit, naming the operation', () => {
    const layout = { batch: 2, channels: 2, inner: 3 };
    const sums = new Float64Array(2).fill(7);
    expect(channelSumsResident(new Float32Array(12), 0, layout, sums)).toBe(false);
    expect(Array.from(sums)).toEqual([7, 7]);
    expect(() => channelSumsResident(resident(new Float32Array(12)), 1, layout, sums)).toThrow(
      'channelSumsResident: x of 12 elements from offset 1 does not fit layout [2, 2, 3]',
    );
    expect(() => channelSumsResident(resident(new Float32Array(12)), 0, layout, new Float64Array(1))).toThrow(
      'channelSumsResident: out has 1 values; expected at least 2 (one per channel)',
    );
    const y = resident(new Float32Array(11));
    expect(() => batchNormNormalizeResident(resident(new Float32Array(12)), 0, y, layout, sums, sums, sums)).toThrow(
      /batchNormNormalizeResident: y of 11 elements/,
    );
  });
});
