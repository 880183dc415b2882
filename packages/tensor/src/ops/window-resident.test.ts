import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { residentZeros } from '../resident.js';
import { convGeometries, filledFloat32 } from '../testing/conv-geometries.js';
import { col2im, im2col } from './im2col.js';
import { windowsResident } from './window-resident.js';
import { conv2dGeometry } from './conv-geometry.js';

// The resident path (WebAssembly SIMD on the kernels' memory) against the TypeScript loops of
// window-loops.ts (ordinary arrays), bit for bit, over random geometries: im2col only copies, and
// col2im adds in the same order, so nothing may differ.
const geometryArbitrary = convGeometries({ side: 11, kernel: 4, stride: 3, padding: [2, 2] });

const filled = (shape: readonly number[], seed: number, resident: boolean) =>
  filledFloat32(shape, (i) => Math.sin(seed + 1.37 * i) * 10 ** ((i % 7) - 3), resident);

describe('im2col and col2im on resident float32 arrays (WebAssembly SIMD)', () => {
  it('give the same bits as the TypeScript loops, for any kernel, stride, padding and dilation', () => {
    fc.assert(
      fc.property(geometryArbitrary, (g) => {
        const shape = [g.batch, g.channels, g.height, g.width];
        const options = { kernelSize: g.kernel, stride: g.stride, padding: g.padding, dilation: g.dilation };
        const geometry = conv2dGeometry(shape, options, 'test');
        const columnsShape = [g.batch, g.channels * g.kernel[0] * g.kernel[1], geometry.outHeight * geometry.outWidth];
        const expectedColumns = im2col(filled(shape, g.seed, false), options);
        const columns = filled(columnsShape, 7, true);
        im2col(filled(shape, g.seed, true), { ...options, out: columns });
        expect(Array.from(columns.data)).toEqual(Array.from(expectedColumns.data));

        const expectedImage = col2im(filled(columnsShape, g.seed, false), shape, options);
        const image = filled(shape, 3, true); // stale values: col2im must overwrite them
        col2im(filled(columnsShape, g.seed, true), shape, { ...options, out: image });
        expect(Array.from(image.data)).toEqual(Array.from(expectedImage.data));
      }),
      { numRuns: 150 },
    );
  });

  it('leave ordinary arrays to the TypeScript loops (returns false, writes nothing)', () => {
    const geometry = conv2dGeometry([1, 1, 3, 3], { kernelSize: 2 }, 'test');
    const columns = new Float32Array(16).fill(5);
    expect(windowsResident('unfold', geometry, new Float32Array(9), 0, columns, 0)).toBe(false);
    expect(windowsResident('fold', geometry, residentZeros([9]).data, 0, columns, 0)).toBe(false);
    expect(Array.from(columns)).toEqual(new Array(16).fill(5));
  });
});
