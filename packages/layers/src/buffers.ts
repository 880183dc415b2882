import type { FloatDType } from '@annet/layer-api';
import { residentZeros, shapesEqual, type Tensor } from '@annet/tensor';

/**
 * Returns `current` when it already has `dtype` and `shape`, otherwise a new zero-filled tensor,
 * resident (`residentZeros`: in the WebAssembly kernels' memory when they have a shared one, so
 * the next layer's matmul reads it in place). Layers keep their outputs and gradients in such
 * buffers, so a steady state allocates nothing.
 *
 * @example
 * let output: Tensor | undefined;
 * output = reuseBuffer(output, 'float32', [64, 128]); // allocates
 * output = reuseBuffer(output, 'float32', [64, 128]); // the same tensor
 */
export function reuseBuffer<D extends FloatDType>(current: Tensor | undefined, dtype: D, shape: readonly number[]): Tensor<D> {
  if (current !== undefined && current.dtype === dtype && shapesEqual(current.shape, shape)) return current as Tensor<D>;
  return residentZeros(shape, dtype);
}

/**
 * `tensor` itself when its elements are row-major without gaps (from `tensor.offset`),
 * otherwise a contiguous copy. Layer loops read `data[offset + i]`.
 *
 * @example
 * const x = contiguousInput(input);
 * for (let i = 0; i < x.size; i++) sum += x.data[x.offset + i];
 */
export function contiguousInput<T extends Tensor>(tensor: T): T {
  return (tensor.isContiguous ? tensor : tensor.contiguous(true)) as T;
}

/**
 * The float typed array behind a float tensor (checked by the caller).
 *
 * @example
 * const values: FloatData = new Float32Array(4);
 */
export type FloatData = Float32Array | Float64Array;

/**
 * The data of a float tensor, typed as a float array.
 *
 * @example
 * const values = floatData(output); values[0] = 1;
 */
export function floatData(tensor: Tensor): FloatData {
  return tensor.data as FloatData;
}

