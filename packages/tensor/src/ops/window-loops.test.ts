import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2dGeometry, type ConvGeometry } from './conv-geometry.js';
import { foldWindows, tapRanges, unfoldWindows } from './window-loops.js';

const geometryArbitrary = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    channels: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 13 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padding: fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
    ),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  })
  .filter(
    (g) =>
      g.height + g.padding[0] + g.padding[1] >= g.dilation[0] * (g.kernel[0] - 1) + 1 &&
      g.width + g.padding[2] + g.padding[3] >= g.dilation[1] * (g.kernel[1] - 1) + 1,
  )
  .map((g) =>
    conv2dGeometry([g.batch, g.channels, g.height, g.width], {
      kernelSize: g.kernel,
      stride: g.stride,
      padding: g.padding,
      dilation: g.dilation,
    }),
  );

/** The input index read by output position o of tap t along one axis, or −1 in the padding. */
function readIndex(o: number, t: number, stride: number, dilation: number, padBefore: number, size: number): number {
  const index = o * stride - padBefore + t * dilation;
  return index >= 0 && index < size ? index : -1;
}

/** Every (x index, cols index) pair of the unfolding, by the definition, in cols order. */
function* taps(g: ConvGeometry): Generator<[number, number]> {
  let colsIndex = 0;
  for (let n = 0; n < g.batch; n++)
    for (let c = 0; c < g.channels; c++)
      for (let i = 0; i < g.kernelHeight; i++)
        for (let j = 0; j < g.kernelWidth; j++) {
          for (let oh = 0; oh < g.outHeight; oh++)
            for (let ow = 0; ow < g.outWidth; ow++, colsIndex++) {
              const ih = readIndex(oh, i, g.strideHeight, g.dilationHeight, g.padTop, g.height);
              const iw = readIndex(ow, j, g.strideWidth, g.dilationWidth, g.padLeft, g.width);
              yield [ih < 0 || iw < 0 ? -1 : ((n * g.channels + c) * g.height + ih) * g.width + iw, colsIndex];
            }
        }
}

const colsSize = (g: ConvGeometry) => g.batch * g.channels * g.kernelHeight * g.kernelWidth * g.outHeight * g.outWidth;
const inputSize = (g: ConvGeometry) => g.batch * g.channels * g.height * g.width;

/** Deterministic values with a fractional part, so float32 sums round. */
function filled(array: Float32Array | Float64Array, seed: number): void {
  let state = seed >>> 0;
  for (let index = 0; index < array.length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    array[index] = ((state >>> 8) / 2 ** 24 - 0.5) * 3.7;
  }
}

describe('tapRanges', () => {
  it('gives the in-image output range of each tap, worked by hand', () => {
    // 5x5 kernel, padding 2, 28x28, stride 1: tap t reads oh + t − 2, inside for 2 − t ≤ oh < 30 − t, clipped to [0, 28).
    const same = tapRanges(conv2dGeometry([1, 1, 28, 28], { kernelSize: 5, padding: 2 }));
    expect([Array.from(same.rowStart), Array.from(same.rowEnd)]).toEqual([
      [2, 1, 0, 0, 0],
      [28, 28, 28, 27, 26],
    ]);
    // 3-wide kernel, stride 2, padding 1, width 5 (3 outputs): tap t reads 2·ow − 1 + t.
    // t = 0: 2ow − 1 ≥ 0 → ow ≥ 1; t = 1: every ow; t = 2: 2ow + 1 < 5 → ow < 2.
    const strided = tapRanges(conv2dGeometry([1, 1, 5, 5], { kernelSize: 3, stride: 2, padding: 1 }));
    expect([Array.from(strided.columnStart), Array.from(strided.columnEnd)]).toEqual([
      [1, 0, 0],
      [3, 3, 2],
    ]);
    // A 1-pixel image under a 5-wide kernel with padding 2: only the middle tap reads it; the
    // others get empty ranges [start, start), never reversed ones.
    const tiny = tapRanges(conv2dGeometry([1, 1, 1, 1], { kernelSize: 5, padding: 2 }));
    expect([Array.from(tiny.columnStart), Array.from(tiny.columnEnd)]).toEqual([
      [1, 1, 0, 0, 0],
      [1, 1, 1, 0, 0],
    ]);
  });
});

describe('unfoldWindows and foldWindows', () => {
  it('unfold writes every columns entry by the definition, over dirty output, for any stride, padding and dilation', () => {
    fc.assert(
      fc.property(geometryArbitrary, fc.nat(), fc.boolean(), (g, seed, single) => {
        const x = single ? new Float32Array(inputSize(g) + 2) : new Float64Array(inputSize(g) + 2);
        filled(x, seed);
        const cols = single ? new Float32Array(colsSize(g) + 3) : new Float64Array(colsSize(g) + 3);
        cols.fill(99);
        unfoldWindows(g, tapRanges(g), x, 2, cols, 1);
        expect(cols[0]).toBe(99);
        expect(cols[cols.length - 1]).toBe(99);
        for (const [xIndex, colsIndex] of taps(g)) expect(cols[1 + colsIndex]).toBe(xIndex < 0 ? 0 : x[2 + xIndex]);
      }),
      { numRuns: 60 },
    );
  });

  it('fold adds the columns back in columns order, bit for bit with an element-by-element scatter (float32 rounding included)', () => {
    fc.assert(
      fc.property(geometryArbitrary, fc.nat(), fc.boolean(), (g, seed, single) => {
        const cols = single ? new Float32Array(colsSize(g)) : new Float64Array(colsSize(g));
        filled(cols, seed);
        const x = single ? new Float32Array(inputSize(g)) : new Float64Array(inputSize(g));
        foldWindows(g, tapRanges(g), x, 0, cols, 0);
        const expected = single ? new Float32Array(inputSize(g)) : new Float64Array(inputSize(g));
        for (const [xIndex, colsIndex] of taps(g)) if (xIndex >= 0) expected[xIndex] += cols[colsIndex];
        expect(Array.from(x)).toEqual(Array.from(expected));
      }),
      { numRuns: 60 },
    );
  });
});
