import fc from 'fast-check';
import type { DType } from '../dtype.js';
import { Tensor } from '../tensor.js';

/**
 * Test helpers: random tensors in every layout the ops must handle. Not part of the package
 * (excluded from the build).
 */

/** A shape of rank in [minRank, maxRank] with dimensions in [0, maxDim] (size-0 and size-1 included). */
export function shapeArbitrary(minRank = 0, maxRank = 3, maxDim = 4): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** Small integers as floats: sums and products stay exact, so references can compare bit for bit. */
export function valuesFor(dtype: DType, size: number, seed: number): number[] {
  const values: number[] = [];
  let state = seed >>> 0;
  for (let index = 0; index < size; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const value = ((state >>> 16) % 9) - 4;
    values.push(dtype === 'int32' ? value : value + ((state >>> 8) % 4) / 4);
  }
  return values;
}

export type Layout = 'contiguous' | 'transposed' | 'stepped' | 'offset';

/**
 * A tensor of `shape` whose elements are `values` (row-major) laid out as asked: contiguous;
 * a transposed view of a contiguous transpose; a view stepping by 2 (reversed on the last axis)
 * through a bigger array; or contiguous from a non-zero offset.
 */
export function tensorWithLayout(
  values: readonly number[],
  shape: readonly number[],
  dtype: DType,
  layout: Layout,
): Tensor {
  const rank = shape.length;
  const make = (length: number) =>
    dtype === 'float32'
      ? new Float32Array(length)
      : dtype === 'float64'
        ? new Float64Array(length)
        : new Int32Array(length);
  const contiguous = new Tensor(make(values.length), shape);
  values.forEach((value, index) => (contiguous.data[index] = value));
  if (layout === 'contiguous' || rank === 0) return contiguous;
  if (layout === 'offset') {
    const data = make(values.length + 3);
    data.set(contiguous.data, 3);
    return new Tensor(data, shape, undefined, 3);
  }
  if (layout === 'transposed') {
    const reversed = [...Array(rank).keys()].reverse();
    return contiguous.transpose(reversed).contiguous(true).transpose(reversed);
  }
  // stepped: a parent twice as long on every axis; take every other element, last axis reversed.
  const parentShape = shape.map((dimension) => Math.max(1, 2 * dimension));
  const parent = new Tensor(make(parentShape.reduce((a, b) => a * b, 1)), parentShape);
  const view = parent.slice(
    ...shape.map(
      (dimension, axis) =>
        (axis === rank - 1 ? [2 * dimension - 2, null, -2] : [0, 2 * dimension, 2]) as [number, number | null, number],
    ),
  );
  let flat = 0;
  view.forEachIndex((dataIndex) => (view.data[dataIndex] = values[flat++]));
  return view;
}

/** One of the layouts. */
export const layoutArbitrary: fc.Arbitrary<Layout> = fc.constantFrom('contiguous', 'transposed', 'stepped', 'offset');

/** Reads a tensor's elements in row-major order through `get` (the slow, obviously right way). */
export function elementsOf(x: Tensor): number[] {
  const result: number[] = [];
  const indices = new Array<number>(x.rank).fill(0);
  for (let flat = 0; flat < x.size; flat++) {
    result.push(x.get(...indices));
    for (let axis = x.rank - 1; axis >= 0; axis--) {
      if (++indices[axis] < x.shape[axis]) break;
      indices[axis] = 0;
    }
  }
  return result;
}

/**
 * A broadcast problem: operand shapes derived from a base shape (leading axes dropped, random
 * axes set to 1) and `shape`, their broadcast, worked out here independently of shape.ts.
 */
export function broadcastShapesArbitrary(operands = 2): fc.Arbitrary<{ shape: number[]; operandShapes: number[][] }> {
  return shapeArbitrary(0, 3, 4).chain((base) =>
    fc
      .tuple(
        ...Array.from({ length: operands }, () =>
          fc
            .tuple(
              fc.integer({ min: 0, max: base.length }),
              fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
            )
            .map(([drop, ones]) => base.slice(drop).map((dimension, axis) => (ones[axis + drop] ? 1 : dimension))),
        ),
      )
      .map((operandShapes) => {
        const rank = Math.max(0, ...operandShapes.map((shape) => shape.length));
        const shape = Array.from({ length: rank }, (_, axis) => {
          const dimensions = operandShapes.map((operandShape) => operandShape[operandShape.length - rank + axis] ?? 1);
          return dimensions.find((dimension) => dimension !== 1) ?? 1;
        });
        return { shape, operandShapes };
      }),
  );
}

/** A dtype. */
export const dtypeArbitrary: fc.Arbitrary<DType> = fc.constantFrom('float32', 'float64', 'int32');

/** The element at a broadcast index: `index` addresses `shape`, `x` may have fewer or size-1 axes. */
export function broadcastGet(x: Tensor, index: readonly number[]): number {
  const lead = index.length - x.rank;
  return x.get(...x.shape.map((dimension, axis) => (dimension === 1 ? 0 : index[axis + lead])));
}

/** Every index of `shape` in row-major order. */
export function indicesOf(shape: readonly number[]): number[][] {
  const total = shape.reduce((a, b) => a * b, 1);
  const result: number[][] = [];
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    result.push(index.slice());
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
  return result;
}

/** Values rounded as a typed array of `dtype` would store them. */
export function storedAs(dtype: DType, values: readonly number[]): number[] {
  const array =
    dtype === 'float32'
      ? new Float32Array(values.length)
      : dtype === 'float64'
        ? new Float64Array(values.length)
        : new Int32Array(values.length);
  values.forEach((value, index) => (array[index] = value));
  return Array.from(array);
}
