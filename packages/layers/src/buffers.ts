import type { Tensor } from '@annet/tensor';

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
