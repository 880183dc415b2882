import { createRng, jsKernels, residentZeros, Tensor, useKernels } from '@annet/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { addInto, copyOf } from './gradient-sum.js';

afterEach(() => {
  useKernels(null);
});

function filled(values: Float32Array, resident: boolean): Tensor {
  if (!resident) return new Tensor(values.slice(), [values.length]);
  const tensor = residentZeros([values.length], 'float32');
  (tensor.data as Float32Array).set(values);
  return tensor;
}

describe('addInto and copyOf (where a tensor used twice gathers its gradients)', () => {
  it('adds elementwise with one float32 rounding per element, resident (SIMD) or not, on both kernel sets, for every length', () => {
    for (const kernels of [null, jsKernels]) {
      useKernels(kernels);
      for (const length of [1, 3, 4, 7, 64, 1029]) {
        const rng = createRng(length);
        const first = Float32Array.from({ length }, () => 1e3 * (rng.uniform() - 0.5));
        const second = Float32Array.from({ length }, () => 1e-3 * (rng.uniform() - 0.5));
        const expected = Array.from(first, (value, index) => Math.fround(value + second[index]));
        for (const resident of [true, false]) {
          const target = filled(first, resident);
          addInto(target, filled(second, resident));
          expect(Array.from(target.data)).toEqual(expected);
        }
      }
    }
  });

  it('reads a transposed or offset source through its view (the TypeScript loop)', () => {
    const target = filled(Float32Array.from([1, 2, 3, 4]), true);
    // [[10, 20], [30, 40]] transposed is [[10, 30], [20, 40]]: flat order 10, 30, 20, 40.
    addInto(target.reshape([2, 2]), new Tensor(Float32Array.from([10, 20, 30, 40]), [2, 2]).transpose());
    expect(Array.from(target.data)).toEqual([11, 32, 23, 44]);
    // Rows 1 and 2 of [[1, 2], [3, 4], [5, 6]]: a contiguous view at offset 2, values 3, 4, 5, 6.
    const offsetSource = (residentZeros([3, 2], 'float32') as Tensor).slice([1, 3]);
    (offsetSource.data as Float32Array).set([1, 2, 3, 4, 5, 6]);
    addInto(target.reshape([2, 2]), offsetSource);
    expect(Array.from(target.data)).toEqual([14, 36, 28, 50]);
  });

  it('copyOf reuses a buffer of the same dtype and shape and makes a new one otherwise', () => {
    const source = filled(Float32Array.from([1, 2, 3]), true);
    const first = copyOf(undefined, source);
    expect(Array.from(first.data)).toEqual([1, 2, 3]);
    expect(copyOf(first, filled(Float32Array.from([4, 5, 6]), false))).toBe(first);
    expect(Array.from(first.data)).toEqual([4, 5, 6]);
    expect(copyOf(first, source.reshape([3, 1]))).not.toBe(first);
  });
});
