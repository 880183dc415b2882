import fc from 'fast-check';
import { residentZeros, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { windowGeometry } from './geometry.js';
import { isFull2x2, maxPool2x2 } from './max-pool-2x2.js';
import { MaxPool2D } from './max-pool2d.js';

/** The general loop's rule, one window at a time: row-major scan, strict > from −∞, first position by default. */
function referencePool(
  input: Float32Array,
  planes: number,
  height: number,
  width: number,
): { output: number[]; winners: number[] } {
  const output: number[] = [];
  const winners: number[] = [];
  for (let plane = 0; plane < planes; plane++) {
    for (let row = 0; row < Math.floor(height / 2); row++) {
      for (let column = 0; column < Math.floor(width / 2); column++) {
        let best = -Infinity;
        let winner = plane * height * width + 2 * row * width + 2 * column;
        for (const [dy, dx] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ]) {
          const position = plane * height * width + (2 * row + dy) * width + 2 * column + dx;
          if (input[position] > best) {
            best = input[position];
            winner = position;
          }
        }
        output.push(best);
        winners.push(winner);
      }
    }
  }
  return { output, winners };
}

/** Values drawn from a small set with NaN and ±∞, so ties, NaN-only windows and infinities all occur. */
const valueArbitrary = fc.constantFrom(
  -2,
  -1,
  0,
  1,
  1,
  2,
  3,
  Number.NaN,
  Number.NEGATIVE_INFINITY,
  Number.POSITIVE_INFINITY,
  0.5,
);

describe('maxPool2x2', () => {
  it('matches the general scan bit for bit, ties, NaN and infinities included, on odd and even sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 7 }),
        fc.integer({ min: 2, max: 7 }),
        fc.array(valueArbitrary, { minLength: 3 * 49, maxLength: 3 * 49 }),
        fc.integer({ min: 0, max: 3 }),
        (planes, height, width, values, inputOffset) => {
          const input = new Float32Array(inputOffset + planes * height * width);
          input.set(values.slice(0, planes * height * width), inputOffset);
          const outputHeight = Math.floor(height / 2);
          const outputWidth = Math.floor(width / 2);
          const output = new Float32Array(planes * outputHeight * outputWidth);
          const winners = new Int32Array(output.length);
          maxPool2x2(input, inputOffset, output, winners, planes, height, width, outputHeight, outputWidth);
          const expected = referencePool(input.subarray(inputOffset), planes, height, width);
          expect(Array.from(output)).toEqual(expected.output);
          expect(Array.from(winners)).toEqual(expected.winners);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('picks the first maximum of a tie and never a NaN, worked by hand', () => {
    // Window [[1, 3], [3, NaN]]: 3 first appears at position 1; window [[NaN, NaN], [NaN, NaN]]: −∞ at position 2 (its first).
    const input = new Float32Array([1, 3, Number.NaN, Number.NaN, 3, Number.NaN, Number.NaN, Number.NaN]);
    const output = new Float32Array(2);
    const winners = new Int32Array(2);
    maxPool2x2(input, 0, output, winners, 1, 2, 4, 1, 2);
    expect(Array.from(output)).toEqual([3, Number.NEGATIVE_INFINITY]);
    expect(Array.from(winners)).toEqual([1, 2]);
  });

  it('serves only full 2x2 windows with stride 2', () => {
    expect(isFull2x2(windowGeometry('pool', 28, 28, [2, 2], [2, 2], [1, 1], 'valid'), 28, 28)).toBe(true);
    expect(isFull2x2(windowGeometry('pool', 7, 7, [2, 2], [2, 2], [1, 1], 'valid'), 7, 7)).toBe(true);
    // 'same' on 7: 4 outputs need 8 rows, one of padding, so the last windows are clipped.
    expect(isFull2x2(windowGeometry('pool', 7, 7, [2, 2], [2, 2], [1, 1], 'same'), 7, 7)).toBe(false);
    expect(isFull2x2(windowGeometry('pool', 8, 8, [2, 2], [1, 1], [1, 1], 'valid'), 8, 8)).toBe(false);
    expect(isFull2x2(windowGeometry('pool', 8, 8, [3, 3], [2, 2], [1, 1], 'valid'), 8, 8)).toBe(false);
  });

  it('gives MaxPool2D(2) the same outputs and gradients as a window loop, in float32, in ordinary and in resident arrays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        // Up to 13 columns: 6 windows a row, so the WebAssembly pooling's groups of 4 and its tail.
        fc.integer({ min: 2, max: 13 }),
        fc.array(valueArbitrary.filter(Number.isFinite), { minLength: 2 * 117, maxLength: 2 * 117 }),
        fc.boolean(),
        (height, width, values, resident) => {
          const data = values.slice(0, 2 * height * width);
          // A resident input takes the WebAssembly pooling (maxPool2x2Resident), an ordinary one the TypeScript loop.
          const x = resident
            ? residentZeros([1, 2, height, width])
            : new Tensor(new Float32Array(data.length), [1, 2, height, width]);
          (x.data as Float32Array).set(data);
          const pool = new MaxPool2D(2);
          const y = pool.forward(x);
          const expected = referencePool(x.data as Float32Array, 2, height, width);
          expect(Array.from(y.data)).toEqual(expected.output);
          // A resident gradient takes the WebAssembly unpooling (maxUnpool2x2Resident), which writes all of dx itself.
          const dy = resident ? residentZeros(y.shape) : new Tensor(new Float32Array(y.size), y.shape);
          (dy.data as Float32Array).set(Float32Array.from(expected.output, (_, index) => index + 1));
          const dx = Array.from(pool.backward(dy).data);
          const expectedDx = new Array<number>(2 * height * width).fill(0);
          expected.winners.forEach((winner, index) => (expectedDx[winner] += index + 1));
          expect(dx).toEqual(expectedDx);
        },
      ),
      { numRuns: 40 },
    );
  });
});
