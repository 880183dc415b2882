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
  /**
   * Threads that can run a WebAssembly module on this memory in parallel (optional; absent where
   * the owner of the memory has no threads). An optimizer may split a large parameter's update
   * into ranges and run one per thread; `parallel.threads` is 1 whenever no helper threads run.
   */
  readonly parallel?: ParallelKernels;
}

/**
 * A module registered with {@link ParallelKernels.register}: an opaque handle for
 * {@link ParallelKernels.run}, valid for the lifetime of the memory (kernel threads started
 * later load it too).
 */
export interface ParallelModule {
  /** The module's function exports that {@link ParallelKernels.run} can call, by name. */
  readonly exports: readonly string[];
}

/**
 * Helper threads that share a {@link ParameterMemory}: each can instantiate a WebAssembly module
 * on that memory and run one of its exports, so an elementwise kernel can update disjoint ranges
 * of a large array on several cores at once. Filled by whoever owns the memory and its threads
 * (`@annet/tensor`'s kernel threads); used by optimizers through `Parameter.memory.parallel`.
 *
 * Parts run at the same time, one per thread, and `run` returns when all have finished, so
 * results are those of calling the export once per part on one thread: an update whose parts
 * write disjoint ranges is bit-identical however many threads share it.
 *
 * @example
 * const parallel = parameter.memory?.parallel;
 * if (parallel !== undefined && parallel.threads > 1) {
 *   const module = parallel.register(binary); // once, a module that imports only `env.memory`
 *   const half = 4 * Math.ceil(length / 8); // 4-element aligned
 *   parallel.run(module, 'scale', [[address, half], [address + 4 * half, length - half]]);
 * }
 */
export interface ParallelKernels {
  /**
   * Threads a run is shared by now, the calling one included: 1 when no helper threads run (a
   * run then calls every part on the calling thread). Read it at each use: threads can be
   * started and stopped at any time between calls.
   */
  readonly threads: number;
  /**
   * Makes a WebAssembly module runnable on every thread and returns its handle. `binary` is the
   * module's bytes; its only import must be the memory, as `env.memory` (shared). Registering the
   * same bytes again returns the same handle. Throws an AnnetError (`INVALID_ARGUMENT`) for bytes
   * that are not such a module.
   */
  register(binary: Uint8Array): ParallelModule;
  /**
   * Calls export `exportName` of `module` once per entry of `parts`, with that entry's numbers
   * as its arguments (at most 16; integers and floats, converted as a direct call converts
   * them), at the same time on `parts.length` threads: the last part on the calling thread, the
   * others on helpers. Returns when every part has finished. At most {@link ParallelKernels.threads}
   * parts. Throws an AnnetError for an unknown export, too many parts or arguments, and when a
   * part threw (after every part has finished).
   */
  run(module: ParallelModule, exportName: string, parts: readonly (readonly number[])[]): void;
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
