import fc from 'fast-check';
import { residentZeros } from '../resident.js';
import { Tensor } from '../tensor.js';

/** The largest image side, kernel side, stride and padding (top/bottom, left/right) a geometry may draw. */
export interface ConvGeometryLimits {
  readonly side: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: readonly [number, number];
}

/**
 * Random 2-D convolution geometries (batch and channels 1-3, dilation 1-2, a seed) within
 * `limits`, keeping only those whose padded image holds at least one dilated kernel window.
 *
 * @example
 * const [geometry] = fc.sample(convGeometries({ side: 9, kernel: 3, stride: 2, padding: [1, 2] }), 1);
 */
export function convGeometries(limits: ConvGeometryLimits) {
  const pad = (max: number) => fc.integer({ min: 0, max });
  return fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      channels: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: limits.side }),
      width: fc.integer({ min: 1, max: limits.side }),
      kernel: fc.tuple(fc.integer({ min: 1, max: limits.kernel }), fc.integer({ min: 1, max: limits.kernel })),
      stride: fc.tuple(fc.integer({ min: 1, max: limits.stride }), fc.integer({ min: 1, max: limits.stride })),
      padding: fc.tuple(pad(limits.padding[0]), pad(limits.padding[1]), pad(limits.padding[0]), pad(limits.padding[1])),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      seed: fc.integer({ min: 0, max: 1e6 }),
    })
    .filter(
      (g) =>
        g.height + g.padding[0] + g.padding[1] >= g.dilation[0] * (g.kernel[0] - 1) + 1 &&
        g.width + g.padding[2] + g.padding[3] >= g.dilation[1] * (g.kernel[1] - 1) + 1,
    );
}

/**
 * A float32 tensor of `shape` filled with `value(i)`, in the kernels' memory when `resident`
 * (`residentZeros`), else in an ordinary array.
 *
 * @example
 * const x = filledFloat32([2, 3], (i) => Math.sin(1.37 * i), true);
 */
export function filledFloat32(
  shape: readonly number[],
  value: (index: number) => number,
  resident: boolean,
): Tensor<'float32'> {
  const size = shape.reduce((product, extent) => product * extent, 1);
  const x = resident ? residentZeros(shape) : new Tensor(new Float32Array(size), shape);
  (x.data as Float32Array).set(Float32Array.from({ length: size }, (_, index) => value(index)));
  return x as Tensor<'float32'>;
}
