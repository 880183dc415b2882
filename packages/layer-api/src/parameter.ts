import type { FloatArray } from './tensor-like.js';

/**
 * One trainable array of a model: what an optimizer reads and updates.
 *
 * `value` and `grad` have the same type and length (the product of `shape`). A layer's backward
 * pass writes `grad`; an optimizer updates `value` in place.
 */
export interface Parameter {
  /** Stable name, unique within a model, such as `dense_1.weights`; optimizer state is keyed by it. */
  readonly name: string;
  /** Logical shape of the array, outermost dimension first. */
  readonly shape: readonly number[];
  /** The current values, row-major; updated in place by optimizers. */
  readonly value: FloatArray;
  /** The gradient of the loss with respect to `value`, same type and length as `value`. */
  readonly grad: FloatArray;
  /** When `false` the parameter is frozen and optimizers skip it; absent means trainable. */
  trainable?: boolean;
  /**
   * Where `value` and `grad` live when they are views of a WebAssembly memory (optional; absent
   * for ordinary arrays). With it an optimizer may update the parameter in place with its own
   * WebAssembly kernels, which import this memory: `value.byteOffset` and `grad.byteOffset` are
   * the addresses, and the optimizer keeps its state arrays in the same memory through
   * {@link ParameterMemory.allocateFloat32}. Set it only when both arrays are views of
   * `memory.buffer`.
   */
  readonly memory?: ParameterMemory;
}

/**
 * A WebAssembly memory that holds parameters, and a way to place more float32 arrays in it (for
 * the optimizer state that kernels update next to the parameters). Filled by whoever allocates
 * the parameters (for example a layer whose arrays come from `@annet/tensor`'s resident memory).
 *
 * @example
 * const parameter: Parameter = { name: 'dense.weights', shape: [2, 3], value, grad, memory: { memory: kernelMemory, allocateFloat32: (length) => allocator.float32(length) } };
 */
export interface ParameterMemory {
  /** The memory whose `buffer` holds the parameter's arrays (a shared memory, so views survive its growth). */
  readonly memory: WebAssembly.Memory;
  /**
   * A zero-filled float32 array of `length` elements in `memory`, kept alive while the array is
   * reachable, or `null` when the memory has no room (the caller then uses an ordinary array).
   */
  allocateFloat32(length: number): Float32Array | null;
}

/** Anything that owns parameters: a layer or a whole model. This is all an optimizer needs. */
export interface Trainable {
  /** Name of the owner; parameter names start with it (`dense_1` owns `dense_1.weights`). */
  readonly name: string;
  /** Every parameter, in a stable order; the same objects on every call. */
  parameters(): readonly Parameter[];
}

/**
 * State that is saved with a model but not trained, such as BatchNorm's running mean.
 * Same naming rules as {@link Parameter}.
 */
export interface StateBuffer {
  /** Stable name, unique within a model, such as `batch_norm_1.runningMean`. */
  readonly name: string;
  /** Logical shape of the array. */
  readonly shape: readonly number[];
  /** The values, row-major; loading a checkpoint writes into this array in place. */
  readonly value: FloatArray;
}
