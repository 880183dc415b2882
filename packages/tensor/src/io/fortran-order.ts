import type { DecodedArray } from './element-types.js';

/**
 * Reorders column-major (Fortran order) elements into row-major (C order) for `shape`, into a
 * fresh array of the same type. Element `(i0, …, ik)` sits at `i0 + i1·d0 + i2·d0·d1 + …` in the
 * column-major input and at `(…(i0·d1 + i1)·d2 + …)` in the output.
 *
 * @example
 * fortranToRowMajor(new Float32Array([1, 4, 2, 5, 3, 6]), [2, 3]); // [1, 2, 3, 4, 5, 6]
 */
export function fortranToRowMajor<A extends DecodedArray>(array: A, shape: readonly number[]): A {
  const rank = shape.length;
  const out = new (array.constructor as new (length: number) => A)(array.length);
  if (array.length === 0) return out;
  const columnStrides = new Array<number>(rank);
  let stride = 1;
  for (let axis = 0; axis < rank; axis++) {
    columnStrides[axis] = stride;
    stride *= shape[axis];
  }
  const counter = new Array<number>(rank).fill(0);
  let source = 0;
  for (let flat = 0; flat < array.length; flat++) {
    out[flat] = array[source];
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]++;
      source += columnStrides[axis];
      if (counter[axis] < shape[axis]) break;
      source -= counter[axis] * columnStrides[axis];
      counter[axis] = 0;
    }
  }
  return out;
}
