import type { DType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { newTensor } from './new-tensor.js';
import { sameMemory } from '../kernels/memory-identity.js';

/**
 * Throws unless `value` is a {@link Tensor}; `role` names the argument in the message.
 *
 * @example
 * assertTensor(a, 'matmul', 'a'); // 'matmul: a must be a Tensor, got an array; ...'
 */
export function assertTensor(value: unknown, operation: string, role = 'input'): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `${role} must be a Tensor, got ${got}; wrap values with tensor(...)`,
    );
  }
}

/**
 * Throws unless `x` holds floats: for ops whose result is meaningless in int32 (matmul, softmax, ...).
 *
 * @example
 * assertFloat(x, 'softmax'); // throws DTYPE_MISMATCH for int32
 */
export function assertFloat(x: Tensor, operation: string, role = 'input'): asserts x is Tensor<'float32' | 'float64'> {
  if (x.dtype === 'int32') {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `${role} has dtype int32; expected float32 or float64 (convert with cast(x, 'float32'))`,
    );
  }
}

/**
 * The tensor an op writes its result into: a fresh zero-filled one, or the caller's `out`
 * after checking its shape and dtype. `out` may be a strided view; it must not share memory
 * with `exclusiveOf` or `alsoExclusiveOf` (the inputs of ops that cannot work in place). Takes
 * the inputs as separate arguments, not a list, so the check allocates nothing.
 *
 * @example
 * const out = prepareOut(options.out, [m, n], 'float32', 'matmul', a, b);
 */
export function prepareOut<D extends DType>(
  out: Tensor | undefined,
  shape: readonly number[],
  dtype: D,
  operation: string,
  exclusiveOf?: Tensor,
  alsoExclusiveOf?: Tensor,
): Tensor<D> {
  if (out === undefined) return newTensor(dtype, shape, operation);
  assertTensor(out, operation, 'out');
  if (!shapesEqual(out.shape, shape)) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `out has shape ${formatShape(out.shape)}; expected ${formatShape(shape)}`,
    );
  }
  if (out.dtype !== dtype) {
    throw new AnnetError('DTYPE_MISMATCH', operation, `out has dtype ${out.dtype}; the result is ${dtype}`);
  }
  if (sharesMemory(out, exclusiveOf) || sharesMemory(out, alsoExclusiveOf)) {
    throw new AnnetError('INVALID_ARGUMENT', operation, 'out shares memory with an input; pass a separate buffer');
  }
  if (hasOverlappingElements(out)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `out is a broadcast view (strides ${formatShape(out.strides)}) whose elements overlap; pass a tensor that owns each element`,
    );
  }
  return out as Tensor<D>;
}

/**
 * Whether two tensors may touch the same bytes: their data lies in the same memory and the byte
 * spans they can reach overlap. Two SharedArrayBuffer objects can be views of one kernel memory
 * (a growing WebAssembly memory hands out a new one each time, and resident tensors all live in
 * it): those are recognized through `memory-identity.ts`; other buffers must be the same object.
 * Tensors in one memory whose spans are disjoint (say two resident buffers, or two halves of one
 * array) do not share memory; tensors of two different kernel memories never do.
 *
 * @example
 * sharesMemory(out, input); // true when writing out could change input
 */
export function sharesMemory(first: Tensor, second: Tensor | undefined): boolean {
  if (second === undefined || first.size === 0 || second.size === 0) return false;
  if (!sameMemory(first.data.buffer, second.data.buffer)) return false;
  return firstByte(first) < endByte(second) && firstByte(second) < endByte(first);
}

/** The byte address of the lowest element a (non-empty) view reaches, within its buffer. */
function firstByte(x: Tensor): number {
  let low = x.offset;
  for (let axis = 0; axis < x.rank; axis++) if (x.strides[axis] < 0) low += (x.shape[axis] - 1) * x.strides[axis];
  return x.data.byteOffset + low * x.data.BYTES_PER_ELEMENT;
}

/** One past the byte address of the highest element a (non-empty) view reaches. */
function endByte(x: Tensor): number {
  let high = x.offset;
  for (let axis = 0; axis < x.rank; axis++) if (x.strides[axis] > 0) high += (x.shape[axis] - 1) * x.strides[axis];
  return x.data.byteOffset + (high + 1) * x.data.BYTES_PER_ELEMENT;
}

/** True when a stride-0 axis of size > 1 makes several indices address one element. */
function hasOverlappingElements(x: Tensor): boolean {
  if (x.size <= 1) return false;
  for (let axis = 0; axis < x.rank; axis++) if (x.strides[axis] === 0 && x.shape[axis] > 1) return true;
  return false;
}
