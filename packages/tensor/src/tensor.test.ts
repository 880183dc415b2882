import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, eye, full, tensor, zeros } from './create.js';
import { AnnetError } from './errors.js';
import { Tensor } from './tensor.js';
import { elementsOf, indicesOf, shapeArbitrary } from './testing/arbitraries.js';

describe('Tensor views', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('transposes without copying', () => {
    const t = x.transpose();
    expect(t.data).toBe(x.data);
    expect(t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });
  it('slices with negative indices and steps', () => {
    expect(x.slice(null, [null, null, -1]).toArray()).toEqual([
      [3, 2, 1],
      [6, 5, 4],
    ]);
    expect(x.slice(-1, [0, 3, 2]).toArray()).toEqual([4, 6]);
  });
  it('reshapes contiguous tensors as views and copies strided ones', () => {
    expect(x.reshape([3, -1]).data).toBe(x.data);
    const t = x.transpose().reshape([6]);
    expect(t.data).not.toBe(x.data);
    expect(t.toArray()).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('broadcasts with stride 0 and expands dims', () => {
    const b = tensor([1, 2]).expandDims(1).broadcastTo([2, 3]);
    expect(b.strides).toEqual([1, 0]);
    expect(b.toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });
  it('reports bad shapes and sizes with the operation and the values', () => {
    expect(() => tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { shape: [5, 3] })).toThrow(
      'tensor: 12 values do not fill shape [5,3] (15 needed)',
    );
    expect(() => zeros([2, -1])).toThrow(AnnetError);
    expect(() => zeros([2.5])).toThrow('zeros');
    expect(() => x.reshape([4, 2])).toThrow('reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)');
  });
  it('rejects views with fractional offsets or strides and slices with fractional bounds', () => {
    const data = new Float32Array(6);
    expect(() => new Tensor(data, [2], [1], 1.5)).toThrow('Tensor: offset must be a non-negative integer, got 1.5');
    expect(() => new Tensor(data, [2], [0.5])).toThrow('Tensor: strides [0.5] must be 1 integers for shape [2]');
    expect(() => x.slice([0.5, 2])).toThrow('slice: start and stop must be integers or null, got [0.5, 2] on axis 0');
  });

  it('copies strided views row by row in contiguous()', () => {
    const view = tensor([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
    ])
      .slice([null, null, -2], [1, 4, 2])
      .transpose();
    const copy = view.contiguous();
    expect(copy.strides).toEqual([2, 1]);
    expect(copy.toArray()).toEqual([
      [10, 2],
      [12, 4],
    ]);
    expect(zeros([2, 0]).transpose().contiguous().shape).toEqual([0, 2]);
    expect(tensor(7).slice().contiguous(true).item()).toBe(7);
  });

  it('rejects int32 values outside [-2^31, 2^31) and non-integer int32 fills and ranges', () => {
    expect(() => tensor([2 ** 31], { dtype: 'int32' })).toThrow(
      'tensor: int32 tensors hold integers in [-2^31, 2^31), got 2147483648 at index 0',
    );
    expect(tensor([-(2 ** 31)], { dtype: 'int32' }).item()).toBe(-(2 ** 31));
    expect(() => full([2], 0.5, 'int32')).toThrow('full: int32 tensors hold integers in [-2^31, 2^31), got 0.5');
    expect(() => arange(0, 1, 0.5, 'int32')).toThrow(
      'arange: an int32 range needs integer start and step, got 0 and 0.5',
    );
    expect(arange(0, 6, 2, 'int32').toArray()).toEqual([0, 2, 4]);
    expect(() => eye(2.5)).toThrow('eye: shape [2.5,2.5] has an invalid dimension 2.5');
  });

  it('abbreviates large tensors in toString', () => {
    const text = zeros([100, 100]).toString();
    expect(text).toContain('...');
    expect(text.length).toBeLessThan(600);
  });
});

/** Python's slice(start, stop, step).indices(length), written out from the language reference. */
function pythonRange(length: number, start: number | null, stop: number | null, step: number): number[] {
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? length : length - 1;
  const first = start === null ? (step > 0 ? lower : upper) : clamp(start < 0 ? start + length : start, lower, upper);
  const last = stop === null ? (step > 0 ? upper : lower) : clamp(stop < 0 ? stop + length : stop, lower, upper);
  const result: number[] = [];
  for (let index = first; step > 0 ? index < last : index > last; index += step) result.push(index);
  return result;
}

describe('Tensor views (properties)', () => {
  const specArbitrary = fc.tuple(
    fc.option(fc.integer({ min: -6, max: 6 })),
    fc.option(fc.integer({ min: -6, max: 6 })),
    fc.integer({ min: -3, max: 3 }).filter((step) => step !== 0),
  );

  it('slice selects exactly the elements Python slicing would, without copying', () => {
    fc.assert(
      fc.property(shapeArbitrary(1, 3, 5), fc.array(specArbitrary, { minLength: 3, maxLength: 3 }), (shape, specs) => {
        const x = arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
        const view = x.slice(...shape.map((_, axis) => specs[axis]));
        const ranges = shape.map((dimension, axis) =>
          pythonRange(dimension, specs[axis][0], specs[axis][1], specs[axis][2]),
        );
        expect(view.data).toBe(x.data);
        expect(view.shape).toEqual(ranges.map((range) => range.length));
        expect(elementsOf(view)).toEqual(
          indicesOf(view.shape).map((index) => x.get(...index.map((position, axis) => ranges[axis][position]))),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('transpose permutes indices, and reshape of the contiguous copy keeps row-major order', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(0, 4, 3).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }),
          ),
        ),
        ([shape, permutation]) => {
          const x = arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
          const t = x.transpose(permutation);
          expect(t.data).toBe(x.data);
          expect(elementsOf(t)).toEqual(
            indicesOf(t.shape).map((index) => {
              const original = new Array<number>(shape.length);
              permutation.forEach((axis, position) => (original[axis] = index[position]));
              return x.get(...original);
            }),
          );
          expect(Array.from(t.reshape([-1]).data.subarray(0, t.size))).toEqual(elementsOf(t));
        },
      ),
      { numRuns: 100 },
    );
  });
});
