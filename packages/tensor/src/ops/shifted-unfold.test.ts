import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { conv2dGeometry } from './conv-geometry.js';
import { im2col } from './im2col.js';
import { isShiftedCopy, unfoldShifted } from './shifted-unfold.js';
import { tapRanges, unfoldWindows } from './window-loops.js';

/** Stride-1 geometries whose output rows are as wide as the input's: padLeft + padRight = dW·(kW − 1). */
const sameWidthArbitrary = fc.record({
  batch: fc.integer({ min: 1, max: 2 }), channels: fc.integer({ min: 1, max: 3 }),
  height: fc.integer({ min: 1, max: 8 }), width: fc.integer({ min: 1, max: 9 }),
  kernel: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
  dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  padTop: fc.integer({ min: 0, max: 4 }), padBottom: fc.integer({ min: 0, max: 4 }), leftShare: fc.double({ min: 0, max: 1, noNaN: true }),
}).map((g) => {
  const horizontal = g.dilation[1] * (g.kernel[1] - 1);
  const padLeft = Math.round(g.leftShare * horizontal);
  return { ...g, padding: [g.padTop, g.padBottom, padLeft, horizontal - padLeft] as [number, number, number, number] };
}).filter((g) => g.height + g.padTop + g.padBottom >= g.dilation[0] * (g.kernel[0] - 1) + 1);

describe('unfoldShifted', () => {
  it('writes what unfoldWindows writes, over dirty columns, with the input before or after the columns in the array', () => {
    fc.assert(fc.property(sameWidthArbitrary, fc.boolean(), fc.boolean(), fc.nat(), (spec, inputFirst, single, seed) => {
      const g = conv2dGeometry([spec.batch, spec.channels, spec.height, spec.width], { kernelSize: spec.kernel, dilation: spec.dilation, padding: spec.padding });
      expect(isShiftedCopy(g)).toBe(true);
      const inputSize = spec.batch * spec.channels * spec.height * spec.width;
      const colsSize = spec.batch * spec.channels * spec.kernel[0] * spec.kernel[1] * g.outHeight * g.outWidth;
      const data = single ? new Float32Array(inputSize + colsSize + 3) : new Float64Array(inputSize + colsSize + 3);
      const xOffset = inputFirst ? 1 : 2 + colsSize;
      const colsOffset = inputFirst ? 2 + inputSize : 1;
      for (let index = 0; index < data.length; index++) data[index] = ((index * 7919 + seed) % 1000) / 8 - 60; // dirty everywhere
      const expected = new Float64Array(colsSize);
      unfoldWindows(g, tapRanges(g), data.slice(xOffset, xOffset + inputSize), 0, expected, 0);
      const outside = [data[0], data[xOffset + inputSize], data[data.length - 1]];
      unfoldShifted(g, tapRanges(g), data, xOffset, colsOffset);
      expect(Array.from(data.subarray(colsOffset, colsOffset + colsSize))).toEqual(Array.from(expected));
      expect([data[0], data[xOffset + inputSize], data[data.length - 1]]).toEqual(outside);
    }), { numRuns: 120 });
  });

  it('serves only stride 1 with output rows as wide as the input', () => {
    expect(isShiftedCopy(conv2dGeometry([1, 1, 28, 28], { kernelSize: 5, padding: 2 }))).toBe(true);
    expect(isShiftedCopy(conv2dGeometry([1, 1, 28, 28], { kernelSize: 5 }))).toBe(false);
    expect(isShiftedCopy(conv2dGeometry([1, 1, 28, 28], { kernelSize: 3, padding: 1, stride: 2 }))).toBe(false);
    expect(isShiftedCopy(conv2dGeometry([1, 1, 28, 28], { kernelSize: 3, padding: [0, 0, 1, 1] }))).toBe(true);
  });

  it('is what im2col takes when x and out are views of one array, with the same result as separate arrays', () => {
    // x: [1, 2, 3, 4] in the first 24 elements, columns after it; kernel 3, padding 1 ('same').
    const data = new Float32Array(24 + 2 * 9 * 12);
    for (let index = 0; index < 24; index++) data[index] = index + 1;
    const x = new Tensor(data, [1, 2, 3, 4]);
    const out = new Tensor(data, [1, 18, 12], undefined, 24);
    out.data.fill(-1, 24);
    im2col(x, { kernelSize: 3, padding: 1, out });
    const separate = im2col(new Tensor(data.slice(0, 24), [1, 2, 3, 4]), { kernelSize: 3, padding: 1 });
    expect(Array.from(data.subarray(24))).toEqual(Array.from(separate.data));
    // Tap (0, 0) of channel 0 reads x[oh − 1, ow − 1]: row 0 and column 0 are padding.
    expect(Array.from(data.subarray(24, 36))).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7]);
  });
});
