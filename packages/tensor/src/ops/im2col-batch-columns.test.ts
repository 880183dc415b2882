import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentZeros } from '../resident.js';
import { convGeometries, filledFloat32 } from '../testing/conv-geometries.js';
import { conv2dGeometry } from './conv-geometry.js';
import { col2im, im2col } from './im2col.js';
import {
  col2imBatchColumnsResident,
  im2colBatchColumnsResident,
  transposeBlocksResident,
} from './im2col-batch-columns.js';

// The whole-batch layout [C·kH·kW, N·P] against im2col's [N, C·kH·kW, P] (TypeScript loops on
// ordinary arrays), bit for bit: the same entries, moved.
const geometryArbitrary = convGeometries({ side: 9, kernel: 3, stride: 2, padding: [1, 2] });

const filled = (shape: readonly number[], seed: number, resident: boolean) =>
  filledFloat32(shape, (i) => Math.sin(seed + 0.91 * i) * 3, resident);

describe('the whole-batch columns layout on resident arrays', () => {
  it('im2col and col2im in [C·kH·kW, N·P] hold the entries of im2col and col2im in [N, C·kH·kW, P], bit for bit', () => {
    fc.assert(
      fc.property(geometryArbitrary, (g) => {
        const shape = [g.batch, g.channels, g.height, g.width];
        const options = { kernelSize: g.kernel, stride: g.stride, padding: g.padding, dilation: g.dilation };
        const { outHeight, outWidth } = conv2dGeometry(shape, options, 'test');
        const positions = outHeight * outWidth;
        const patch = g.channels * g.kernel[0] * g.kernel[1];
        const perSample = im2col(filled(shape, g.seed, false), options);
        const batchColumns = filled([patch, g.batch * positions], 1, true);
        expect(im2colBatchColumnsResident(filled(shape, g.seed, true), options, batchColumns)).toBe(true);
        for (let n = 0; n < g.batch; n++)
          for (let r = 0; r < patch; r++)
            for (let p = 0; p < positions; p++)
              expect(batchColumns.data[r * g.batch * positions + n * positions + p]).toBe(
                perSample.data[(n * patch + r) * positions + p],
              );

        // col2im of the same values in either layout.
        const perSampleGradient = filled([g.batch, patch, positions], g.seed + 1, false);
        const batchGradient = residentZeros([patch, g.batch * positions]);
        for (let n = 0; n < g.batch; n++)
          for (let r = 0; r < patch; r++)
            for (let p = 0; p < positions; p++)
              batchGradient.data[r * g.batch * positions + n * positions + p] =
                perSampleGradient.data[(n * patch + r) * positions + p];
        const expected = col2im(perSampleGradient, shape, options);
        const image = filled(shape, 5, true);
        expect(col2imBatchColumnsResident(batchGradient, options, image)).toBe(true);
        expect(Array.from(image.data)).toEqual(Array.from(expected.data));
      }),
      { numRuns: 120 },
    );
  });

  it('transposeBlocksResident swaps the two outer axes, whole blocks at a time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 9 }),
        (outer, inner, block) => {
          const source = filled([outer, inner, block], 3, true);
          const target = filled([inner, outer, block], 4, true);
          expect(transposeBlocksResident(source, target, outer, inner, block)).toBe(true);
          for (let i = 0; i < outer; i++)
            for (let j = 0; j < inner; j++)
              for (let p = 0; p < block; p++)
                expect(target.data[(j * outer + i) * block + p]).toBe(source.data[(i * inner + j) * block + p]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('return false for ordinary arrays; refuse wrong sizes, dtypes and overlapping arrays, naming the operation', () => {
    const x = filled([1, 1, 3, 3], 1, false);
    const columns = residentZeros([4, 4]);
    expect(im2colBatchColumnsResident(x, { kernelSize: 2 }, columns)).toBe(false);
    expect(() =>
      im2colBatchColumnsResident(filled([1, 1, 3, 3], 1, true), { kernelSize: 2 }, residentZeros([4, 3])),
    ).toThrow(
      'im2colBatchColumnsResident: columns is a contiguous float32 tensor of shape [4,3]; expected a contiguous float32 tensor of [4,4] elements',
    );
    const shared = residentZeros([2, 2, 2]);
    expect(() => transposeBlocksResident(shared, shared, 2, 2, 2)).toThrow(
      'transposeBlocksResident: source and target overlap',
    );
    expect(() => transposeBlocksResident(shared, residentZeros([8], 'float64'), 2, 2, 2)).toThrow(
      /transposeBlocksResident: target is a contiguous float64 tensor/,
    );
  });
});
