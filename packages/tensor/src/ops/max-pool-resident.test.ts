import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { residentZeros } from '../resident.js';
import { maxPool2x2Resident, maxUnpool2x2Resident } from './max-pool-resident.js';

/** A resident Int32Array of `length` (a view of a resident float32 block, kept alive by `keep`). */
function residentIndices(length: number, keep: Float32Array[]): Int32Array {
  const block = residentZeros([Math.max(1, length)]).data as Float32Array;
  keep.push(block);
  return new Int32Array(block.buffer, block.byteOffset, length);
}

/**
 * The oracle: every window scanned in row-major order from −∞ with a strict `>`, as MaxPool2D's
 * general loop does (the first maximum wins a tie; NaN never wins, so a window of NaNs gives −∞
 * at its first position).
 */
function naiveMaxPool(
  input: Float32Array,
  offset: number,
  planes: number,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): { output: Float32Array; winners: Int32Array } {
  const output = new Float32Array(planes * outHeight * outWidth);
  const winners = new Int32Array(output.length);
  let out = 0;
  for (let plane = 0; plane < planes; plane++)
    for (let row = 0; row < outHeight; row++)
      for (let column = 0; column < outWidth; column++, out++) {
        let best = -Infinity;
        let winner = plane * height * width + 2 * row * width + 2 * column;
        for (let y = 2 * row; y < 2 * row + 2; y++)
          for (let x = 2 * column; x < 2 * column + 2; x++) {
            const position = plane * height * width + y * width + x;
            if (input[offset + position] > best) {
              best = input[offset + position];
              winner = position;
            }
          }
        output[out] = best;
        winners[out] = winner;
      }
  return { output, winners };
}

// Values that make ties, signed zeros, infinities and NaN common, besides ordinary floats.
const value = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, Infinity, -Infinity, Number.NaN),
  fc.float({ min: -100, max: 100, noNaN: true }),
);

describe('maxPool2x2Resident', () => {
  it('gives the naive loop’s maxima and winning positions bit for bit (ties, ±0, ±∞, NaN, odd sizes, any width)', () => {
    // Up to 21 columns: outWidth 1 to 10, so whole groups of four windows and the scalar tail.
    const case_ = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 21 }))
      .chain(([planes, height, width]) =>
        fc.record({
          planes: fc.constant(planes),
          height: fc.constant(height),
          width: fc.constant(width),
          offset: fc.integer({ min: 0, max: 3 }),
          values: fc.array(value, { minLength: planes * height * width, maxLength: planes * height * width }),
        }),
      );
    fc.assert(
      fc.property(case_, ({ planes, height, width, offset, values }) => {
        const outHeight = height >> 1;
        const outWidth = width >> 1;
        const keep: Float32Array[] = [];
        const input = residentZeros([offset + values.length]).data as Float32Array;
        input.set(values, offset);
        const output = residentZeros([planes * outHeight * outWidth]).data as Float32Array;
        const winners = residentIndices(output.length, keep);
        expect(maxPool2x2Resident(input, offset, output, winners, planes, height, width, outHeight, outWidth)).toBe(
          true,
        );
        const expected = naiveMaxPool(input, offset, planes, height, width, outHeight, outWidth);
        expect(Array.from(new Uint32Array(output.buffer, output.byteOffset, output.length))).toEqual(
          Array.from(new Uint32Array(expected.output.buffer)),
        );
        expect(Array.from(winners)).toEqual(Array.from(expected.winners));
      }),
      { numRuns: 200 },
    );
  });

  it('routes each output gradient to its winner and writes +0 everywhere else, as zeroing then adding does, bit for bit', () => {
    // Gradients with ±0 (a −0 lands as +0, since 0 + (−0) = +0), on any shape, odd last rows and columns included.
    const gradientValue = fc.oneof(fc.constantFrom(0, -0, 1, -2.5), fc.float({ min: -100, max: 100, noNaN: true }));
    const case_ = fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 21 }))
      .chain(([planes, height, width]) => {
        const outputs = planes * (height >> 1) * (width >> 1);
        return fc.record({
          planes: fc.constant(planes),
          height: fc.constant(height),
          width: fc.constant(width),
          offset: fc.integer({ min: 0, max: 3 }),
          values: fc.array(value, { minLength: planes * height * width, maxLength: planes * height * width }),
          gradients: fc.array(gradientValue, { minLength: outputs, maxLength: outputs }),
        });
      });
    fc.assert(
      fc.property(case_, ({ planes, height, width, offset, values, gradients }) => {
        const outHeight = height >> 1;
        const outWidth = width >> 1;
        const keep: Float32Array[] = [];
        const input = residentZeros([values.length]).data as Float32Array;
        input.set(values);
        const output = residentZeros([gradients.length]).data as Float32Array;
        const winners = residentIndices(gradients.length, keep);
        expect(maxPool2x2Resident(input, 0, output, winners, planes, height, width, outHeight, outWidth)).toBe(true);
        const outputGradient = residentZeros([offset + gradients.length]).data as Float32Array;
        outputGradient.set(gradients, offset);
        // Filled with 7s first: every element must be written.
        const inputGradient = residentZeros([values.length]).data as Float32Array;
        inputGradient.fill(7);
        expect(
          maxUnpool2x2Resident(
            outputGradient,
            offset,
            winners,
            inputGradient,
            planes,
            height,
            width,
            outHeight,
            outWidth,
          ),
        ).toBe(true);
        const expected = new Float32Array(values.length);
        for (let out = 0; out < gradients.length; out++) expected[winners[out]] += outputGradient[offset + out];
        expect(
          Array.from(new Uint32Array(inputGradient.buffer, inputGradient.byteOffset, inputGradient.length)),
        ).toEqual(Array.from(new Uint32Array(expected.buffer)));
      }),
      { numRuns: 200 },
    );
  });

  it('pools a hand-checked plane: a tie, a −0 after a +0, a NaN and an all-NaN window', () => {
    // Plane 2 x 8 (four windows): [1, 3 | 0, -0 | NaN, 2 | NaN, NaN] over [3, 1 | -0, 0 | 1, NaN | NaN, NaN].
    // Window 0: 3 at position 1 (row 0) ties 3 at 8 (row 1): the first wins. Window 1: +0 first, all zeros tie: position 2.
    // Window 2: NaN never wins; 2 at 5 beats 1 at 12. Window 3: all NaN gives −∞ at its first position, 6.
    const keep: Float32Array[] = [];
    const input = residentZeros([16]).data as Float32Array;
    input.set([1, 3, 0, -0, Number.NaN, 2, Number.NaN, Number.NaN, 3, 1, -0, 0, 1, Number.NaN, Number.NaN, Number.NaN]);
    const output = residentZeros([4]).data as Float32Array;
    const winners = residentIndices(4, keep);
    expect(maxPool2x2Resident(input, 0, output, winners, 1, 2, 8, 1, 4)).toBe(true);
    expect(Array.from(output)).toEqual([3, 0, 2, -Infinity]);
    expect(Object.is(output[1], 0)).toBe(true);
    expect(Array.from(winners)).toEqual([1, 2, 5, 6]);
  });

  it('returns false for arrays outside the kernels’ memory and names what does not fit', () => {
    const keep: Float32Array[] = [];
    const winners = residentIndices(4, keep);
    expect(maxUnpool2x2Resident(new Float32Array(4), 0, winners, new Float32Array(16), 1, 2, 8, 1, 4)).toBe(false);
    expect(() => maxUnpool2x2Resident(new Float32Array(3), 0, winners, new Float32Array(16), 1, 2, 8, 1, 4)).toThrow(
      /maxUnpool2x2Resident: 1 planes of 2x8 pooled to 1x4 do not fit an output gradient of 3/,
    );
    expect(maxPool2x2Resident(new Float32Array(16), 0, new Float32Array(4), winners, 1, 2, 8, 1, 4)).toBe(false);
    expect(() => maxPool2x2Resident(new Float32Array(15), 0, new Float32Array(4), winners, 1, 2, 8, 1, 4)).toThrow(
      AnnetError,
    );
    expect(() => maxPool2x2Resident(new Float32Array(16), 0, new Float32Array(4), winners, 1, 2, 8, 2, 4)).toThrow(
      /maxPool2x2Resident: 1 planes of 2x8 from offset 0 pooled to 2x4 do not fit/,
    );
    // Windows wider than the plane (2·5 > 8), a negative offset and a fractional plane count are
    // refused by both passes before any array is looked at.
    const wideWinners = residentIndices(8, keep);
    expect(() =>
      maxUnpool2x2Resident(new Float32Array(8), 0, wideWinners, new Float32Array(16), 1, 2, 8, 1, 5),
    ).toThrow(/maxUnpool2x2Resident: 1 planes of 2x8 pooled to 1x5/);
    expect(() => maxUnpool2x2Resident(new Float32Array(4), -1, winners, new Float32Array(16), 1, 2, 8, 1, 4)).toThrow(
      AnnetError,
    );
    expect(() => maxPool2x2Resident(new Float32Array(16), 0, new Float32Array(4), winners, 0.5, 2, 8, 1, 4)).toThrow(
      /maxPool2x2Resident: 0.5 planes/,
    );
  });
});
