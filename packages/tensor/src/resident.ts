import type { FloatArray, ParameterMemory } from '@annet/layer-api';
import type { FloatDType, TypedArrayFor } from './dtype.js';
import { allocate } from './dtype.js';
import { AnnetError } from './errors.js';
import { activeKernels } from './kernels/kernel-selection.js';
import { checkShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * A zero-filled tensor placed where the active kernels read and write it without copying: in the
 * WebAssembly backend's shared memory when the backend has one (float32 only), an ordinary typed
 * array otherwise (float64, the TypeScript kernels, runtimes without shared memory, or a full
 * memory). Either way it is a plain `Tensor` over a `Float32Array`/`Float64Array`, freed by the
 * garbage collector like any other: there is nothing to dispose.
 *
 * Meant for long-lived buffers that matmul touches every step (layers allocate their parameters,
 * gradients and output buffers with it), so a training step moves no data between JavaScript and
 * WebAssembly memory. Do not use it for short-lived temporaries: the WebAssembly memory never
 * shrinks, and its blocks are reclaimed only when the garbage collector finalizes their arrays.
 * A `subarray` of a resident array does not keep the block alive; keep the tensor (or its `data`)
 * referenced while using one.
 *
 * @example
 * const weights = residentZeros([784, 128]);   // float32, in WebAssembly memory under wasm-simd
 * const y = matmul(x, weights);                 // weights read in place
 * residentZeros([3], 'float64').data;           // Float64Array [0, 0, 0]: always an ordinary array
 */
export function residentZeros<D extends FloatDType = 'float32'>(
  shape: readonly number[],
  dtype: D = 'float32' as D,
): Tensor<D> {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'residentZeros',
      `dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`,
    );
  }
  const checked = checkShape(shape, 'residentZeros');
  const size = sizeOf(checked);
  const data =
    (dtype === 'float32' ? activeKernels().allocateFloat32?.(size) : null) ?? allocate(dtype, size, 'residentZeros');
  return new Tensor(data as TypedArrayFor[D], checked);
}

/**
 * The active kernels' memory as a `ParameterMemory` (the optional `Parameter.memory` of
 * `@annet/layer-api`, through which an optimizer runs its own WebAssembly kernels in place), when
 * it is safe to hand out, else `undefined`. Safe means all of:
 * - the active kernels are the WebAssembly backend on a **shared** memory (Node; browsers with
 *   cross-origin isolation), so every view of it stays valid when it grows: never for the
 *   TypeScript kernels or the copying backend whose ordinary memory detaches views on growth;
 * - every one of `arrays` is a float32 view of that memory (allocated by {@link residentZeros}):
 *   float64 arrays, ordinary arrays and arrays that fell back to ordinary memory because the
 *   memory was full give `undefined`.
 * Its `allocateFloat32` hands out zero-filled arrays in the same memory (freed when collected,
 * like resident tensors) or `null` when the memory keeps no room for them.
 *
 * @example
 * const value = residentZeros([784, 128]).data;
 * const grad = residentZeros([784, 128]).data;
 * const parameter = { name: 'dense.weights', shape: [784, 128], value, grad, memory: residentParameterMemory(value, grad) };
 */
export function residentParameterMemory(...arrays: readonly FloatArray[]): ParameterMemory | undefined {
  return activeKernels().parameterMemoryOf?.(arrays) ?? undefined;
}
