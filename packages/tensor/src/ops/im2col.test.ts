import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from '../create.js';
import type { Tensor } from '../tensor.js';
import { elementsOf, layoutArbitrary, tensorWithLayout, valuesFor } from '../testing/arbitraries.js';
import { conv2dGeometry } from './conv-geometry.js';
import { col2im, im2col } from './im2col.js';
import { matmul } from './matmul.js';

const geometryArbitrary = fc
  .record({
    batch: fc.integer({ min: 1, max: 2 }),
    channels: fc.integer({ min: 1, max: 2 }),
    height: fc.integer({ min: 1, max: 5 }),
    width: fc.integer({ min: 1, max: 5 }),
    kernelHeight: fc.integer({ min: 1, max: 3 }),
    kernelWidth: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
    ),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  })
  .filter(
    (g) =>
      g.height + g.padding[0] + g.padding[1] >= g.dilation[0] * (g.kernelHeight - 1) + 1 &&
      g.width + g.padding[2] + g.padding[3] >= g.dilation[1] * (g.kernelWidth - 1) + 1,
  );

type Geometry = typeof geometryArbitrary extends fc.Arbitrary<infer G> ? G : never;
const optionsOf = (g: Geometry) => ({
  kernelSize: [g.kernelHeight, g.kernelWidth] as [number, number],
  stride: g.stride,
  padding: g.padding,
  dilation: g.dilation,
});
const outSize = (size: number, kernel: number, stride: number, before: number, after: number, dilation: number) =>
  Math.floor((size + before + after - dilation * (kernel - 1) - 1) / stride) + 1;

/** cols by the definition in im2col's TSDoc, one element at a time. */
function referenceIm2col(x: Tensor, g: Geometry): number[] {
  const outH = outSize(g.height, g.kernelHeight, g.stride[0], g.padding[0], g.padding[1], g.dilation[0]);
  const outW = outSize(g.width, g.kernelWidth, g.stride[1], g.padding[2], g.padding[3], g.dilation[1]);
  const values: number[] = [];
  for (let n = 0; n < g.batch; n++)
    for (let c = 0; c < g.channels; c++)
      for (let i = 0; i < g.kernelHeight; i++)
        for (let j = 0; j < g.kernelWidth; j++) {
          for (let oh = 0; oh < outH; oh++)
            for (let ow = 0; ow < outW; ow++) {
              const ih = oh * g.stride[0] - g.padding[0] + i * g.dilation[0];
              const iw = ow * g.stride[1] - g.padding[2] + j * g.dilation[1];
              values.push(ih >= 0 && ih < g.height && iw >= 0 && iw < g.width ? x.get(n, c, ih, iw) : 0);
            }
        }
  return values;
}

const inner = (a: number[], b: number[]) => a.reduce((total, value, index) => total + value * b[index], 0);

describe('im2col and col2im', () => {
  it('im2col matches the documented layout element by element for any stride, padding, dilation and input layout', () => {
    fc.assert(
      fc.property(geometryArbitrary, layoutArbitrary, fc.nat(), (g, layout, seed) => {
        const shape = [g.batch, g.channels, g.height, g.width];
        const x = tensorWithLayout(
          valuesFor(
            'float64',
            shape.reduce((a, b) => a * b, 1),
            seed,
          ),
          shape,
          'float64',
          layout,
        );
        const cols = im2col(x, optionsOf(g));
        const geometry = conv2dGeometry(shape, optionsOf(g));
        expect(cols.shape).toEqual([
          g.batch,
          g.channels * g.kernelHeight * g.kernelWidth,
          geometry.outHeight * geometry.outWidth,
        ]);
        expect(elementsOf(cols)).toEqual(referenceIm2col(x, g));
      }),
      { numRuns: 80 },
    );
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(
      fc.property(geometryArbitrary, fc.nat(), (g, seed) => {
        const shape = [g.batch, g.channels, g.height, g.width];
        const x = tensorWithLayout(
          valuesFor(
            'float64',
            shape.reduce((a, b) => a * b, 1),
            seed,
          ),
          shape,
          'float64',
          'contiguous',
        );
        const colsShape = im2col(x, optionsOf(g)).shape;
        const c = tensorWithLayout(
          valuesFor(
            'float64',
            colsShape.reduce((a, b) => a * b, 1),
            seed + 1,
          ),
          colsShape,
          'float64',
          'contiguous',
        );
        expect(inner(elementsOf(im2col(x, optionsOf(g))), elementsOf(c))).toBe(
          inner(elementsOf(x), elementsOf(col2im(c, shape, optionsOf(g)))),
        );
      }),
      { numRuns: 80 },
    );
  });

  it('turns a convolution into one batched matmul, as documented', () => {
    const x = tensorWithLayout(
      valuesFor('float32', 2 * 3 * 5 * 4, 1),
      [2, 3, 5, 4],
      'float32',
      'contiguous',
    ) as Tensor<'float32'>;
    const w = tensorWithLayout(
      valuesFor('float32', 4 * 3 * 3 * 2, 2),
      [4, 3, 3, 2],
      'float32',
      'contiguous',
    ) as Tensor<'float32'>;
    const options = {
      kernelSize: [3, 2] as [number, number],
      stride: 2,
      padding: [1, 0, 1, 1] as [number, number, number, number],
    };
    const { outHeight, outWidth } = conv2dGeometry(x.shape, options);
    const y = matmul(w.reshape([4, 18]), im2col(x, options)).reshape([2, 4, outHeight, outWidth]);
    // Direct convolution (cross-correlation, as every deep learning library computes it).
    for (let n = 0; n < 2; n++)
      for (let f = 0; f < 4; f++)
        for (let oh = 0; oh < outHeight; oh++)
          for (let ow = 0; ow < outWidth; ow++) {
            let total = 0;
            for (let c = 0; c < 3; c++)
              for (let i = 0; i < 3; i++)
                for (let j = 0; j < 2; j++) {
                  const ih = oh * 2 - 1 + i;
                  const iw = ow * 2 - 1 + j;
                  if (ih >= 0 && ih < 5 && iw >= 0 && iw < 4) total += x.get(n, c, ih, iw) * w.get(f, c, i, j);
                }
            expect(y.get(n, f, oh, ow)).toBe(total);
          }
  });

  it('unfolds a 3x3 image with a 2x2 kernel by hand', () => {
    // x = [[1,2,3],[4,5,6],[7,8,9]]; windows at (0,0),(0,1),(1,0),(1,1): tap (i,j) of each window.
    const cols = im2col(arange(1, 10).reshape([1, 1, 3, 3]), { kernelSize: 2 });
    expect(cols.toArray()).toEqual([
      [
        [1, 2, 4, 5],
        [2, 3, 5, 6],
        [4, 5, 7, 8],
        [5, 6, 8, 9],
      ],
    ]);
    // Folding ones back counts how many windows cover each pixel.
    expect(
      col2im(
        tensor([
          [
            [1, 1, 1, 1],
            [1, 1, 1, 1],
            [1, 1, 1, 1],
            [1, 1, 1, 1],
          ],
        ]),
        [1, 1, 3, 3],
        { kernelSize: 2 },
      ).toArray(),
    ).toEqual([
      [
        [
          [1, 2, 1],
          [2, 4, 2],
          [1, 2, 1],
        ],
      ],
    ]);
  });

  it('reuses out buffers, including dirty and strided ones', () => {
    const x = arange(1, 10).reshape([1, 1, 3, 3]);
    const out = tensor([
      [
        [9, 9, 9, 9],
        [9, 9, 9, 9],
        [9, 9, 9, 9],
        [9, 9, 9, 9],
      ],
    ]);
    expect(im2col(x, { kernelSize: 2, out })).toBe(out);
    expect(out.toArray()).toEqual(im2col(x, { kernelSize: 2 }).toArray());
    const dirty = tensor([
      [
        [
          [5, 5, 5],
          [5, 5, 5],
          [5, 5, 5],
        ],
      ],
    ]);
    col2im(out, [1, 1, 3, 3], { kernelSize: 2, out: dirty });
    expect(dirty.toArray()).toEqual(col2im(out, [1, 1, 3, 3], { kernelSize: 2 }).toArray());
    const parent = zeros([1, 1, 3, 6]);
    col2im(out, [1, 1, 3, 3], { kernelSize: 2, out: parent.slice(null, null, null, [0, 6, 2]) });
    expect(elementsOf(parent.slice(null, null, null, [0, 6, 2]))).toEqual(elementsOf(dirty));
  });

  it('rejects bad ranks, options and kernels that do not fit', () => {
    expect(() => im2col(zeros([3, 4, 4]), { kernelSize: 3 })).toThrow(
      'im2col: expected an NCHW input of rank 4, got shape [3,4,4]',
    );
    expect(() => im2col(zeros([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(
      'im2col: a 3x3 kernel (dilation 1x1, span 3x3) does not fit in the padded 2x2 input of shape [1,1,2,2]',
    );
    expect(() => im2col(zeros([1, 1, 4, 4]), { kernelSize: 0 })).toThrow(
      'im2col: kernelSize must be an integer >= 1 or a pair of them, got 0',
    );
    expect(() => im2col(zeros([1, 1, 4, 4]), { kernelSize: 2, stride: [1, 0] })).toThrow(
      'im2col: stride must be an integer >= 1 or a pair of them, got [1,0]',
    );
    expect(() => im2col(zeros([1, 1, 4, 4]), { kernelSize: 2, padding: [1, 1, -1, 0] })).toThrow(
      'im2col: padding must be non-negative integers, got [1,1,-1,0]',
    );
    expect(() => im2col(zeros([1, 1, 4, 4]), undefined as never)).toThrow(
      'im2col: expected options with at least kernelSize, got undefined',
    );
    expect(() => col2im(zeros([1, 4, 5]), [1, 1, 3, 3], { kernelSize: 2 })).toThrow(
      'col2im: cols has shape [1,4,5]; expected [1,4,4] for input [1,1,3,3]',
    );
  });
});
