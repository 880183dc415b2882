import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from '../create.js';
import type { Tensor } from '../tensor.js';
import {
  elementsOf,
  indicesOf,
  layoutArbitrary,
  shapeArbitrary,
  tensorWithLayout,
  valuesFor,
} from '../testing/arbitraries.js';
import { concat, stack } from './concat.js';
import { flatten } from './flatten.js';
import { gather } from './gather.js';
import { oneHot } from './one-hot.js';
import { pad } from './pad.js';
import { split } from './split.js';
import { broadcastTo, expandDims, reshape, squeeze, transpose } from './view-ops.js';

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const make = (shape: number[], layout: 'contiguous' | 'transposed' | 'stepped' | 'offset', seed: number) =>
  tensorWithLayout(valuesFor('float32', sizeOf(shape), seed), shape, 'float32', layout);

describe('concat and stack', () => {
  it('concat matches an index-by-index reference along any axis, for strided inputs', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(1, 3, 3),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
        layoutArbitrary,
        fc.nat(),
        (base, axisSeed, sizes, layout, seed) => {
          const axis = axisSeed % base.length;
          const parts = sizes.map((size, position) =>
            make(
              base.map((dimension, k) => (k === axis ? size : dimension)),
              layout,
              seed + position,
            ),
          );
          const result = concat(parts, axis);
          expect(result.shape).toEqual(
            base.map((dimension, k) => (k === axis ? sizes.reduce((a, b) => a + b, 0) : dimension)),
          );
          const expected = indicesOf(result.shape).map((index) => {
            let position = index[axis];
            let part = 0;
            while (position >= sizes[part]) position -= sizes[part++];
            return parts[part].get(...index.map((value, k) => (k === axis ? position : value)));
          });
          expect(elementsOf(result)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stack inserts a new axis: stack(ts, axis)[..., i, ...] = ts[i]', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(0, 3, 3),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        layoutArbitrary,
        fc.nat(),
        (shape, count, axisSeed, layout, seed) => {
          const axis = axisSeed % (shape.length + 1);
          const parts = Array.from({ length: count }, (_, position) => make(shape, layout, seed + position));
          const result = stack(parts, axis);
          expect(result.shape).toEqual([...shape.slice(0, axis), count, ...shape.slice(axis)]);
          expect(elementsOf(result)).toEqual(
            indicesOf(result.shape).map((index) => parts[index[axis]].get(...index.filter((_, k) => k !== axis))),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('handles hand-checked cases and promotes dtypes', () => {
    expect(
      concat([
        tensor([[1, 2]]),
        tensor([
          [3, 4],
          [5, 6],
        ]),
      ]).toArray(),
    ).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(concat([tensor([[1], [2]]), tensor([[3], [4]])], -1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    const mixed = concat([tensor([1], { dtype: 'int32' }), tensor([0.5], { dtype: 'float64' })]);
    expect([mixed.dtype, mixed.toArray()]).toEqual(['float64', [1, 0.5]]);
  });

  it('rejects mismatched shapes, empty lists and scalars', () => {
    expect(() => concat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(
      'concat: tensor 1 has shape [2,4], which does not match [2,3] outside axis 0',
    );
    expect(() => concat([])).toThrow('concat: expected a non-empty array of tensors, got an empty array');
    expect(() => concat([tensor(1)])).toThrow('concat: cannot concatenate scalars (rank 0); use stack');
    expect(() => concat([zeros([2])], 1)).toThrow('concat: axis 1 is out of range for a tensor of rank 1');
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(
      'stack: tensor 1 has shape [3]; every tensor must have shape [2]',
    );
    expect(() => stack([zeros([2]), [1, 2] as never])).toThrow('stack: item 1 is not a Tensor');
  });
});

describe('split', () => {
  it('returns views that concat back to the input', () => {
    fc.assert(
      fc.property(shapeArbitrary(1, 3, 4), fc.nat(), fc.nat(), layoutArbitrary, (shape, axisSeed, cut, layout) => {
        const axis = axisSeed % shape.length;
        const x = make(shape, layout, 1);
        const first = shape[axis] === 0 ? 0 : cut % (shape[axis] + 1);
        const parts = split(x, [first, -1], axis);
        expect(parts.map((part) => part.shape[axis])).toEqual([first, shape[axis] - first]);
        parts.forEach((part) => expect(part.data).toBe(x.data));
        expect(elementsOf(concat(parts, axis))).toEqual(elementsOf(x));
      }),
      { numRuns: 60 },
    );
  });

  it('splits into equal parts and rejects sizes that do not fit', () => {
    expect(split(arange(6), 3).map((part) => part.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(() => split(zeros([2, 5]), 2, 1)).toThrow(
      'split: cannot split axis 1 of size 5 (shape [2,5]) into 2 equal parts',
    );
    expect(() => split(zeros([4]), [1, 2])).toThrow(
      'split: sizes [1,2] do not add up to 4, the size of axis 0 of shape [4] (one size may be -1)',
    );
    expect(() => split(zeros([4]), [-1, -1])).toThrow('split: sizes [-1,-1] do not add up to 4');
  });
});

describe('pad', () => {
  it('matches an index reference: inside values shifted by `before`, constant elsewhere', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(0, 3, 3),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
          minLength: 3,
          maxLength: 3,
        }),
        layoutArbitrary,
        fc.integer({ min: -2, max: 2 }),
        (shape, amounts, layout, fill) => {
          const x = make(shape, layout, 3);
          const paddings = shape.map((_, axis) => amounts[axis]);
          const result = pad(x, paddings, fill);
          expect(result.shape).toEqual(
            shape.map((dimension, axis) => dimension + paddings[axis][0] + paddings[axis][1]),
          );
          expect(elementsOf(result)).toEqual(
            indicesOf(result.shape).map((index) => {
              const inner = index.map((value, axis) => value - paddings[axis][0]);
              return inner.every((value, axis) => value >= 0 && value < shape[axis]) ? x.get(...inner) : fill;
            }),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('pads by hand and rejects bad paddings', () => {
    expect(
      pad(tensor([[1, 2]]), [
        [1, 0],
        [0, 2],
      ]).toArray(),
    ).toEqual([
      [0, 0, 0, 0],
      [1, 2, 0, 0],
    ]);
    expect(() =>
      pad(zeros([2]), [
        [1, 1],
        [1, 1],
      ]),
    ).toThrow(
      'pad: paddings must be 1 pairs [before, after] of non-negative integers for shape [2], got [[1,1],[1,1]]',
    );
    expect(() => pad(zeros([2]), [[-1, 0]])).toThrow('pad: paddings must be 1 pairs');
  });
});

describe('gather and oneHot', () => {
  it('gather matches x[..., indices[j], ...] for index tensors of any shape and negative indices', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(1, 3, 3),
        fc.nat(),
        shapeArbitrary(0, 2, 3),
        layoutArbitrary,
        fc.nat(),
        (shape, axisSeed, indexShape, layout, seed) => {
          const axis = axisSeed % shape.length;
          if (shape[axis] === 0 && sizeOf(indexShape) > 0) return;
          const x = make(shape, layout, seed);
          const picks = Array.from(
            { length: sizeOf(indexShape) },
            (_, position) => ((seed + position * 7) % (2 * shape[axis])) - shape[axis],
          );
          const indices = tensor(picks, { shape: indexShape, dtype: 'int32' });
          const result = gather(x, indices, axis);
          expect(result.shape).toEqual([...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)]);
          expect(elementsOf(result)).toEqual(
            indicesOf(result.shape).map((index) => {
              const pick =
                indices.rank === 0 ? indices.item() : indices.get(...index.slice(axis, axis + indexShape.length));
              return x.get(
                ...index.slice(0, axis),
                pick < 0 ? pick + shape[axis] : pick,
                ...index.slice(axis + indexShape.length),
              );
            }),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gather into out writes what the allocating gather returns, into contiguous and strided out tensors', () => {
    fc.assert(
      fc.property(
        shapeArbitrary(1, 3, 3),
        fc.nat(),
        shapeArbitrary(0, 2, 3),
        layoutArbitrary,
        layoutArbitrary,
        fc.nat(),
        (shape, axisSeed, indexShape, layout, outLayout, seed) => {
          const axis = axisSeed % shape.length;
          if (shape[axis] === 0 && sizeOf(indexShape) > 0) return;
          const x = make(shape, layout, seed);
          const picks = Array.from(
            { length: sizeOf(indexShape) },
            (_, position) => ((seed + position * 5) % (2 * shape[axis])) - shape[axis],
          );
          const indices = tensor(picks, { shape: indexShape, dtype: 'int32' });
          const expected = gather(x, indices, axis);
          const out = make(expected.shape.slice(), outLayout, seed + 1);
          expect(gather(x, indices, axis, { out })).toBe(out);
          expect(elementsOf(out)).toEqual(elementsOf(expected));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gather rejects an out of the wrong shape or one that shares memory with x', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    // rows [2, 0] of x: [[5, 6], [1, 2]], written in place of zeros.
    const out = zeros([2, 2]);
    gather(x, [2, 0], 0, { out });
    expect(out.toArray()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    expect(() => gather(x, [2, 0], 0, { out: zeros([2, 3]) })).toThrow('gather: out has shape [2,3]; expected [2,2]');
    expect(() => gather(x, [2, 0], 0, { out: x.slice([0, 2]) })).toThrow(
      'gather: out shares memory with an input; pass a separate buffer',
    );
  });

  it('gathers rows and columns by hand and rejects out-of-range or float indices', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(gather(x, [2, 0]).toArray()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    expect(gather(x, [1], 1).toArray()).toEqual([[2], [4], [6]]);
    expect(gather(x, new Int32Array([-1])).toArray()).toEqual([[5, 6]]);
    expect(() => gather(x, [3])).toThrow('gather: index 3 is out of range for axis 0 of size 3 (shape [3,2])');
    expect(() => gather(x, tensor([0]) as never)).toThrow(
      "gather: indices must be an int32 tensor, got float32; convert with cast(indices, 'int32')",
    );
    expect(() => gather(x, [0.5])).toThrow('gather: indices must be an int32 tensor or an array of integers');
  });

  it('oneHot puts onValue at each index along a new last axis', () => {
    expect(oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const labels = oneHot(tensor([[1], [0]], { dtype: 'int32' }), 2, 5, -1, 'int32');
    expect([labels.dtype, labels.shape, labels.toArray()]).toEqual(['int32', [2, 1, 2], [[[-1, 5]], [[5, -1]]]]);
    expect(oneHot([], 4).shape).toEqual([0, 4]);
    expect(() => oneHot([3], 3)).toThrow('oneHot: index 3 at position 0 is outside [0, 3) (indices shape [1])');
    expect(() => oneHot([0], -1)).toThrow('oneHot: depth must be a non-negative integer, got -1');
  });
});

describe('flatten', () => {
  it('merges the axes between start and end, as a view when contiguous', () => {
    const x = zeros([2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, 1).data).toBe(x.data);
    expect(flatten(tensor(5)).shape).toEqual([1]);
    const transposed = arange(6).reshape([2, 3]).transpose() as Tensor;
    expect(flatten(transposed).toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => flatten(x, 2, 1)).toThrow('flatten: startAxis 2 comes after endAxis 1 for a tensor of rank 3');
  });
});

describe('view functions', () => {
  it('are views with TensorFlow.js signatures', () => {
    const x = arange(6).reshape([1, 2, 3]);
    expect(transpose(x).shape).toEqual([3, 2, 1]);
    expect(transpose(x, [0, 2, 1]).toArray()).toEqual([
      [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
    ]);
    expect(reshape(x, [3, -1]).data).toBe(x.data);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(expandDims(x, -1).shape).toEqual([1, 2, 3, 1]);
    expect(broadcastTo(tensor([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(() => transpose([1] as never)).toThrow('transpose: x must be a Tensor, got an array');
    expect(() => squeeze(x, 1)).toThrow('squeeze: axis 1 has size 2, not 1, in shape [1,2,3]');
  });
});
