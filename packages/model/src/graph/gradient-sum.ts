import { addResident, residentZeros, shapesEqual, type FloatDType, type Tensor } from '@annet/tensor';

/**
 * `target` (a contiguous buffer) ← `source`, elementwise, reading `source` through its strides
 * when it is a view.
 *
 * @example
 * copyInto(owned, layerGradient);
 */
export function copyInto(target: Tensor, source: Tensor): void {
  const values = target.data;
  if (source.isContiguous) {
    values.set(source.data.subarray(source.offset, source.offset + source.size));
    return;
  }
  source.forEachIndex((dataIndex, flatIndex) => {
    values[flatIndex] = source.data[dataIndex];
  });
}

/**
 * `target` (a contiguous buffer) += `source`, elementwise: where gradients of a tensor used twice meet.
 *
 * @example
 * addInto(owned, secondUseGradient);
 */
export function addInto(target: Tensor, source: Tensor): void {
  const values = target.data as Float32Array | Float64Array;
  if (source.isContiguous) {
    const from = source.data as Float32Array | Float64Array;
    const offset = source.offset;
    // In WebAssembly SIMD when both are resident float32 (the same float32 rounding of each sum):
    // the GPT's residual stream meets 8 times a step, 1.5 ms in this loop.
    if (values instanceof Float32Array && from instanceof Float32Array && offset === 0)
      if (addResident(values, from, values, values.length)) return;
    for (let index = 0; index < values.length; index++) values[index] += from[offset + index];
    return;
  }
  source.forEachIndex((dataIndex, flatIndex) => {
    values[flatIndex] += source.data[dataIndex] as number;
  });
}

/**
 * A contiguous copy of `source` in `current` when that has its dtype and shape, in a new buffer
 * otherwise: the gradient buffer a graph keeps for a tensor with several uses.
 *
 * @example
 * owned = copyOf(owned, firstGradient);
 */
export function copyOf(current: Tensor | undefined, source: Tensor): Tensor {
  const reusable = current !== undefined && current.dtype === source.dtype && shapesEqual(current.shape, source.shape);
  const buffer = reusable ? current : residentZeros(source.shape, source.dtype as FloatDType);
  copyInto(buffer, source);
  return buffer;
}
