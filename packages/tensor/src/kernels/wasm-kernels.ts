import type { ParameterMemory } from '@annet/layer-api';
import { chunkExtent, chunksPerThread } from './chunk-extent.js';
import { AnnetError } from '../errors.js';
import type { Kernels, MatmulActivation, MatmulArguments, MatmulBatch } from './kernels.js';
import { alignUp, KernelMemory } from './kernel-memory.js';
import { chunkModes, type KernelThreads } from './kernel-threads.js';
import { KernelParallelism } from './parallel-kernels.js';
import { createMatmulJob, runMatmulJob, sliceMatmulJob, type MatmulJob } from './matmul-job.js';
import {
  compileWasmKernels,
  createSharedKernelMemory,
  instantiateKernelModule,
  sharedMaximumPages,
  wasmActivationCode,
  type WasmVariant,
  type WasmKernelExports,
} from './wasm-module.js';

/**
 * The WebAssembly backend's kernels: {@link Kernels} with the fused Dense forward and the
 * resident allocator always present.
 *
 * @example
 * const kernels: WasmKernels = createWasmKernels('simd', jsKernels);
 * kernels.matmulBiasActivationFloat32(args, bias, 0, 'relu'); // out = relu(x·W + b)
 */
export interface WasmKernels extends Kernels {
  readonly name: 'wasm-simd' | 'wasm-relaxed-simd';
  matmulBatchFloat32(args: MatmulArguments<Float32Array>, batch: MatmulBatch): void;
  /**
   * out = act(op(A)·op(B) [+ out] + bias) in one pass over `out`: a Dense layer's forward
   * (`x·W + b`, then ReLU) without a second sweep. `bias` holds n values from `biasOffset`.
   */
  matmulBiasActivationFloat32(
    args: MatmulArguments<Float32Array>,
    bias: Float32Array,
    biasOffset: number,
    activation: MatmulActivation,
  ): void;
  /**
   * A zero-filled Float32Array in the kernels' (shared) WebAssembly memory, which every product
   * reads and writes in place; `null` where the memory is not shared or is full.
   */
  allocateFloat32(length: number): Float32Array | null;
  /**
   * The shared memory as a `ParameterMemory` when every one of `arrays` is a Float32Array view of
   * it; `null` otherwise, and always `null` for the ordinary (copying) memory, whose growth
   * detaches views.
   */
  parameterMemoryOf(arrays: readonly (Float32Array | Float64Array)[]): ParameterMemory | null;
  /** The kernel memory (resident arrays and the scratch region), for tests and benchmarks. */
  readonly memory: KernelMemory;
  /** The shared memory helper threads must instantiate the module with; `null` when the memory is not shared (no threads possible). */
  readonly sharedMemory: WebAssembly.Memory | null;
  /** The compiled shared-memory module helper threads instantiate; `null` when the memory is not shared. */
  readonly sharedModule: WebAssembly.Module | null;
  /**
   * The shared memory's `ParameterMemory.parallel`: modules registered there run on the kernel
   * threads too (an optimizer's update split across them); `null` when the memory is not shared.
   */
  readonly parallel: KernelParallelism | null;
  /**
   * Splits large products between the calling thread and these helper threads (started on
   * {@link WasmKernels.sharedMemory} with {@link WasmKernels.sharedModule}), and runs
   * {@link WasmKernels.parallel}'s modules on them (loading the registered ones first); `null`
   * goes back to one thread.
   */
  useThreads(threads: KernelThreads | null): void;
}

/** Elements spanned by a row-major [rows, columns] matrix with row stride `leading`: what must be copied to read it. */
function span(rows: number, columns: number, leading: number): number {
  return rows === 0 || columns === 0 ? 0 : (rows - 1) * leading + columns;
}

/**
 * `array.subarray(start, end)`, remembered per source array and start: a training loop passes the
 * same buffers with the same ranges every step (a batched product walks a fixed set of offsets),
 * so after the first step no view is allocated. At most `viewsPerArray` starts are kept per array.
 */
const viewsPerArray = 1024;
const rememberedViews = new WeakMap<Float32Array, Map<number, Float32Array>>();
function viewOf(array: Float32Array, start: number, end: number): Float32Array {
  let views = rememberedViews.get(array);
  if (views === undefined) {
    views = new Map();
    rememberedViews.set(array, views);
  }
  const cached = views.get(start);
  if (cached !== undefined && cached.length === end - start && cached.buffer === array.buffer) return cached;
  if (views.size >= viewsPerArray) views.clear();
  const view = array.subarray(start, end);
  views.set(start, view);
  return view;
}

/** Reused per backend instance so a steady-state product allocates nothing. */
interface MatmulScratch {
  /** Byte offsets inside the scratch region: copied A, copied B, compact C, copied bias, packing. */
  offsets: number[];
  /** The whole product, as prepared by `runMatmul`. */
  whole: MatmulJob;
  /** One thread's part of it, filled before each post (a helper copies it into its words) and for the calling thread's own part. */
  slice: MatmulJob;
  /** Helper threads, or null for one thread. */
  threads: KernelThreads | null;
  /** A batch's inner count and strides, in the order helpers read them (`kernelThreadLayout.batch`). */
  batchWords: Int32Array;
  /** The register tile the kernel module was built with (`tileRows`, `tileColumns` exports): slices are multiples of it. */
  tileRows: number;
  tileColumns: number;
}

/**
 * Below this many multiply-adds a product runs on one thread: handing a slice to a helper and
 * waiting for it costs some microseconds, which a product this small does not repay.
 */
const parallelMinimumMultiplyAdds = 1 << 19;

/**
 * Runs the prepared product `state.whole`, split between the caller and its helper threads when
 * there are any and the product is large enough: by rows when m >= n (every chunk then packs all
 * of op(B)), by columns otherwise (every chunk packs all of op(A)), in chunks that are multiples
 * of the register tile, which the threads take one by one (see `chunksPerThread` and
 * `minimumChunkExtent` in chunk-extent.ts). Each
 * output element is computed by one thread in the same order as on one thread, so the result is
 * bit-identical. A helper that has not claimed the job by the time the chunks run out is skipped
 * (`take`), so a sleeping or descheduled helper never makes a product slower than one thread
 * plus the chunk it is running. `whole.scratch` points at as many packing regions of `packing`
 * bytes as there are parts: region 0 for the caller, region i + 1 for helper i.
 */
function runSplit(kernels: WasmKernelExports, state: MatmulScratch, packing: number): void {
  const { whole, slice: part } = state;
  const threads = state.threads!;
  const parts = partsFor(state.threads, whole.m, whole.n, whole.k);
  if (parts === 1) {
    runMatmulJob(kernels, whole);
    return;
  }
  const byRows = whole.m >= whole.n;
  const extent = byRows ? whole.m : whole.n;
  const tile = byRows ? state.tileRows : state.tileColumns;
  const size = chunkExtent(extent, parts, tile);
  const scratch = whole.scratch;
  threads.startChunks();
  for (let helper = 0; helper < parts - 1; helper++) {
    whole.scratch = scratch + (helper + 1) * packing;
    threads.postChunks(helper, whole, byRows ? chunkModes.rows : chunkModes.columns, size, extent);
  }
  whole.scratch = scratch;
  let failure: unknown = null;
  try {
    for (let start = threads.nextChunk() * size; start < extent; start = threads.nextChunk() * size) {
      sliceMatmulJob(whole, part, byRows, start, Math.min(size, extent - start), scratch);
      runMatmulJob(kernels, part);
    }
  } catch (error) {
    failure = error;
  }
  finishChunks(threads, parts - 1, failure);
}

/**
 * Waits for every helper that claimed its chunked job, even after a failure (each writes into C
 * and reads its job words until it is done), then throws the first failure. A helper that has not
 * claimed the job is skipped: no chunk is left by now.
 */
function finishChunks(threads: KernelThreads, helpers: number, failure: unknown): void {
  for (let helper = 0; helper < helpers; helper++) {
    try {
      if (!threads.take(helper)) threads.wait(helper);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

/**
 * Runs a batch of small products (each below the split threshold, all operands resident): with
 * kernel threads the whole products are dealt out in chunks from the shared counter, each
 * computed by one thread exactly as on one thread (bit-identical); on one thread they run back to
 * back without `runMatmul`'s per-call preparation. Anything else loops over `runMatmul`.
 */
function runBatch(
  kernels: WasmKernelExports,
  memory: KernelMemory,
  state: MatmulScratch,
  args: MatmulArguments<Float32Array>,
  batch: MatmulBatch,
): void {
  const { m, n, k } = args;
  const count = batch.outer * batch.inner;
  if (m === 0 || n === 0 || count === 0) return;
  const resident = memory.owns(args.a) && memory.owns(args.b) && memory.owns(args.out);
  if (!resident || m * n * k >= parallelMinimumMultiplyAdds) {
    loopBatch(kernels, memory, state, args, batch);
    return;
  }
  const threads = state.threads;
  const parts = partsFor(threads, count * m, n, k);
  const packing = alignUp(kernels.matmulScratchBytes(m, n, k));
  const scratch = memory.scratch(parts * packing);
  const job = state.whole;
  job.a = memory.addressOf(args.a) + args.aOffset * 4;
  job.lda = args.lda;
  job.transposeA = args.transposeA ? 1 : 0;
  job.b = memory.addressOf(args.b) + args.bOffset * 4;
  job.ldb = args.ldb;
  job.transposeB = args.transposeB ? 1 : 0;
  job.c = memory.addressOf(args.out) + args.outOffset * 4;
  job.ldc = args.ldc;
  job.m = m;
  job.n = n;
  job.k = k;
  job.accumulate = args.accumulate ? 1 : 0;
  job.bias = 0;
  job.activation = wasmActivationCode.none;
  job.scratch = scratch;
  const words = state.batchWords;
  words[0] = batch.inner;
  words[1] = batch.a[1];
  words[2] = batch.a[0];
  words[3] = batch.b[1];
  words[4] = batch.b[0];
  words[5] = batch.out[1];
  words[6] = batch.out[0];
  if (parts === 1) {
    for (let product = 0; product < count; product++) runBatchProduct(kernels, state, product);
    return;
  }
  const size = Math.ceil(count / (parts * chunksPerThread));
  threads!.startChunks();
  for (let helper = 0; helper < parts - 1; helper++) {
    job.scratch = scratch + (helper + 1) * packing;
    threads!.postChunks(helper, job, chunkModes.batch, size, count, words);
  }
  job.scratch = scratch;
  let failure: unknown = null;
  try {
    for (let start = threads!.nextChunk() * size; start < count; start = threads!.nextChunk() * size)
      for (let product = start; product < Math.min(start + size, count); product++)
        runBatchProduct(kernels, state, product);
  } catch (error) {
    failure = error;
  }
  finishChunks(threads!, parts - 1, failure);
}

/** Product `index` of the batch `state.whole` and `state.batchWords` describe, as a helper computes it (kernel-thread-loop.js). */
function runBatchProduct(kernels: WasmKernelExports, state: MatmulScratch, index: number): void {
  const { whole, slice: part, batchWords: words } = state;
  const outer = Math.floor(index / words[0]);
  const inner = index - outer * words[0];
  sliceMatmulJob(whole, part, true, 0, whole.m, whole.scratch);
  part.a = whole.a + 4 * (inner * words[1] + outer * words[2]);
  part.b = whole.b + 4 * (inner * words[3] + outer * words[4]);
  part.c = whole.c + 4 * (inner * words[5] + outer * words[6]);
  runMatmulJob(kernels, part);
}

/** The batch as one `runMatmul` per product (operands copied where they are not resident; large ones split). */
function loopBatch(
  kernels: WasmKernelExports,
  memory: KernelMemory,
  state: MatmulScratch,
  args: MatmulArguments<Float32Array>,
  batch: MatmulBatch,
): void {
  const { aOffset, bOffset, outOffset } = args;
  try {
    for (let outer = 0; outer < batch.outer; outer++)
      for (let inner = 0; inner < batch.inner; inner++) {
        args.aOffset = aOffset + outer * batch.a[0] + inner * batch.a[1];
        args.bOffset = bOffset + outer * batch.b[0] + inner * batch.b[1];
        args.outOffset = outOffset + outer * batch.out[0] + inner * batch.out[1];
        runMatmul(kernels, memory, state, args, null, 0, wasmActivationCode.none);
      }
  } finally {
    args.aOffset = aOffset;
    args.bOffset = bOffset;
    args.outOffset = outOffset;
  }
}

/** How many threads share an [m, k] x [k, n] product: 1 without helpers or below the size threshold. */
function partsFor(threads: KernelThreads | null, m: number, n: number, k: number): number {
  if (threads === null || threads.isStopped || m * n * k < parallelMinimumMultiplyAdds) return 1;
  return threads.helpers + 1;
}

/**
 * Runs one product in WebAssembly memory. An operand that lives in the kernel memory (allocated
 * with `allocateFloat32`, as layers do for parameters, activations and gradients) is read or
 * written in place at its address, with its own leading dimension; any other operand is copied
 * into the scratch region with `TypedArray.set` (a memcpy), and a copied C is copied back. So a
 * training step whose tensors are resident moves no data between JavaScript and WebAssembly memory.
 */
function runMatmul(
  kernels: WasmKernelExports,
  memory: KernelMemory,
  scratchState: MatmulScratch,
  args: MatmulArguments<Float32Array>,
  bias: Float32Array | null,
  biasOffset: number,
  activation: number,
): void {
  const { a, aOffset, lda, transposeA, b, bOffset, ldb, transposeB, out, outOffset, ldc, m, n, k, accumulate } = args;
  if (m === 0 || n === 0) return;
  const residentA = memory.owns(a);
  const residentB = memory.owns(b);
  const residentOut = memory.owns(out);
  const residentBias = bias === null || memory.owns(bias);
  const aSpan = residentA ? 0 : transposeA ? span(k, m, lda) : span(m, k, lda);
  const bSpan = residentB ? 0 : transposeB ? span(n, k, ldb) : span(k, n, ldb);
  const cSize = residentOut ? 0 : m * n;
  const offsets = scratchState.offsets;
  offsets[0] = 0;
  offsets[1] = alignUp(aSpan * 4);
  offsets[2] = offsets[1] + alignUp(bSpan * 4);
  offsets[3] = offsets[2] + alignUp(cSize * 4);
  offsets[4] = offsets[3] + (residentBias ? 0 : alignUp(n * 4));
  const packing = alignUp(kernels.matmulScratchBytes(m, n, k)); // enough for any slice of the product too
  const scratch = memory.scratch(offsets[4] + partsFor(scratchState.threads, m, n, k) * packing);
  const heap = memory.float32(); // after scratch(), which may have grown the memory
  const job = scratchState.whole;
  job.a = residentA ? memory.addressOf(a) + aOffset * 4 : scratch;
  job.b = residentB ? memory.addressOf(b) + bOffset * 4 : scratch + offsets[1];
  job.c = residentOut ? memory.addressOf(out) + outOffset * 4 : scratch + offsets[2];
  job.bias = bias === null ? 0 : residentBias ? memory.addressOf(bias) + biasOffset * 4 : scratch + offsets[3];
  job.scratch = scratch + offsets[4];
  job.lda = lda;
  job.ldb = ldb;
  job.ldc = residentOut ? ldc : n;
  job.transposeA = transposeA ? 1 : 0;
  job.transposeB = transposeB ? 1 : 0;
  job.m = m;
  job.n = n;
  job.k = k;
  job.accumulate = accumulate ? 1 : 0;
  job.activation = activation;
  // With kernel threads this copy is what costs a split product most inside a training step:
  // measured for Dense(784, 128) forward at batch 64 on 2 threads, 166 µs with a resident input
  // against 199 µs with an ordinary one (1.75x against 1.47x over one thread; at batch 256, 1.82x
  // against 1.67x): the calling thread copies before posting, and the helper then reads the copy
  // from the other core's cache. Weights the optimizer had just written cost nothing measurable.
  // A batch placed in resident memory (residentZeros) avoids it.
  if (!residentA) heap.set(viewOf(a, aOffset, aOffset + aSpan), job.a >> 2);
  if (!residentB) heap.set(viewOf(b, bOffset, bOffset + bSpan), job.b >> 2);
  if (bias !== null && !residentBias) heap.set(viewOf(bias, biasOffset, biasOffset + n), job.bias >> 2);
  const contiguousOut = ldc === n;
  if (accumulate && !residentOut) {
    if (contiguousOut) heap.set(viewOf(out, outOffset, outOffset + cSize), job.c >> 2);
    else
      for (let row = 0; row < m; row++)
        heap.set(out.subarray(outOffset + row * ldc, outOffset + row * ldc + n), (job.c >> 2) + row * n);
  }
  runSplit(kernels, scratchState, packing);
  if (residentOut) return;
  const result = viewOf(heap, job.c >> 2, (job.c >> 2) + cSize);
  if (contiguousOut) out.set(result, outOffset);
  else for (let row = 0; row < m; row++) out.set(result.subarray(row * n, row * n + n), outOffset + row * ldc);
}

/**
 * The WebAssembly SIMD backend: float32 matmul (all four transpose cases, accumulate, fused
 * bias + ReLU) runs in the AssemblyScript kernel module; float64 goes to `reference` (the
 * TypeScript kernels), which this backend has nothing faster for.
 *
 * Memory: where the runtime has shared memory (Node; browsers with cross-origin isolation) the
 * module imports a shared WebAssembly memory and {@link WasmKernels.allocateFloat32} hands out
 * arrays over it that products read in place; elsewhere (`shared: false`, or no
 * SharedArrayBuffer) the module owns an ordinary memory and every operand is copied in and out.
 *
 * Numerics: float32 accumulation in SIMD lanes, in blocks of 256 along k; results differ from the
 * reference by rounding only (relative ~1e-6 for k in the hundreds). Deterministic: the same
 * inputs and shapes give bit-identical outputs on a given variant, resident or copied. The relaxed
 * variant uses fused multiply-add where the CPU has it, so its last bits differ from the plain SIMD variant's.
 *
 * @example
 * const kernels = createWasmKernels('simd', jsKernels);
 * kernels.matmulFloat32({ a, aOffset: 0, lda: k, transposeA: false, b, bOffset: 0, ldb: n,
 *   transposeB: false, out, outOffset: 0, ldc: n, m, n, k, accumulate: false });
 */
export function createWasmKernels(
  variant: WasmVariant,
  reference: Kernels,
  options: { shared?: boolean } = {},
): WasmKernels {
  const sharedMemory = options.shared === false ? null : createSharedKernelMemory();
  const sharedModule = sharedMemory === null ? null : compileWasmKernels(variant, true);
  const exports = instantiateKernelModule(sharedModule ?? compileWasmKernels(variant, false), sharedMemory);
  const memory =
    sharedMemory === null
      ? new KernelMemory(exports.memory, exports.heapBase(), false)
      : new KernelMemory(sharedMemory, exports.heapBase(), true, sharedMaximumPages);
  const parallel = sharedMemory === null ? null : new KernelParallelism(sharedMemory, memory);
  // Only a shared memory, whose views survive growth, and only while the allocator hands out resident arrays.
  const parameterMemory: ParameterMemory | null =
    sharedMemory !== null && memory.resident
      ? { memory: sharedMemory, allocateFloat32: (length) => memory.allocateFloat32(length), parallel: parallel! }
      : null;
  const scratchState: MatmulScratch = {
    offsets: [0, 0, 0, 0, 0],
    whole: createMatmulJob(),
    slice: createMatmulJob(),
    batchWords: new Int32Array(7),
    threads: null,
    tileRows: exports.tileRows.value as number,
    tileColumns: exports.tileColumns.value as number,
  };
  return {
    name: variant === 'simd' ? 'wasm-simd' : 'wasm-relaxed-simd',
    matmulFloat32: (args) => runMatmul(exports, memory, scratchState, args, null, 0, wasmActivationCode.none),
    matmulFloat64: (args) => reference.matmulFloat64(args),
    matmulBiasActivationFloat32: (args, bias, biasOffset, activation) =>
      runMatmul(exports, memory, scratchState, args, bias, biasOffset, wasmActivationCode[activation]),
    matmulBatchFloat32: (args, batch) => runBatch(exports, memory, scratchState, args, batch),
    allocateFloat32: (length) => memory.allocateFloat32(length),
    parameterMemoryOf: (arrays) => {
      if (parameterMemory === null) return null;
      for (const array of arrays) if (!(array instanceof Float32Array) || !memory.owns(array)) return null;
      return parameterMemory;
    },
    memory,
    sharedMemory,
    sharedModule,
    parallel,
    useThreads: (threads) => {
      if (threads !== null && sharedMemory === null)
        throw new AnnetError(
          'UNSUPPORTED',
          'useThreads',
          'kernel threads need the shared-memory kernel module; this backend owns an ordinary memory',
        );
      scratchState.threads = threads;
      parallel!.useThreads(threads);
    },
  };
}
