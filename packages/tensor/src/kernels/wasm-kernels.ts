import type { Kernels, MatmulActivation, MatmulArguments } from './kernels.js';
import { alignUp, KernelMemory } from './kernel-memory.js';
import type { KernelThreads } from './kernel-threads.js';
import { compileWasmKernels, createSharedKernelMemory, instantiateKernelModule, sharedMaximumPages, wasmActivationCode, type WasmVariant, type WasmKernelExports } from './wasm-module.js';

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
  /**
   * out = act(op(A)·op(B) [+ out] + bias) in one pass over `out`: a Dense layer's forward
   * (`x·W + b`, then ReLU) without a second sweep. `bias` holds n values from `biasOffset`.
   */
  matmulBiasActivationFloat32(args: MatmulArguments<Float32Array>, bias: Float32Array, biasOffset: number, activation: MatmulActivation): void;
  /**
   * A zero-filled Float32Array in the kernels' (shared) WebAssembly memory, which every product
   * reads and writes in place; `null` where the memory is not shared or is full.
   */
  allocateFloat32(length: number): Float32Array | null;
  /** The kernel memory (resident arrays and the scratch region), for tests and benchmarks. */
  readonly memory: KernelMemory;
  /** The shared memory helper threads must instantiate the module with; `null` when the memory is not shared (no threads possible). */
  readonly sharedMemory: WebAssembly.Memory | null;
  /** The compiled shared-memory module helper threads instantiate; `null` when the memory is not shared. */
  readonly sharedModule: WebAssembly.Module | null;
  /**
   * Splits large products between the calling thread and these helper threads (started on
   * {@link WasmKernels.sharedMemory} with {@link WasmKernels.sharedModule}); `null` goes back to one thread.
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
  /** The 15 arguments of one `matmulF32` call, for posting to a helper. */
  job: number[];
  /** Helper threads, or null for one thread. */
  threads: KernelThreads | null;
}

/**
 * Below this many multiply-adds a product runs on one thread: handing a slice to a helper and
 * waiting for it costs some microseconds, which a product this small does not repay.
 */
const parallelMinimumMultiplyAdds = 1 << 19;

/**
 * Runs `matmulF32` on the prepared addresses, split between the caller and its helper threads
 * when there are any and the product is large enough: by rows when m >= n (every part then packs
 * all of op(B)), by columns otherwise (every part packs all of op(A)), in slices that are
 * multiples of the register tile (5 rows, 8 columns). Each output element is computed by one
 * thread in the same order as on one thread, so the result is bit-identical.
 * `scratch` points at `parts` packing regions of `packing` bytes each.
 */
function runSplit(
  kernels: WasmKernelExports, state: MatmulScratch,
  a: number, lda: number, transposeA: boolean, b: number, ldb: number, transposeB: boolean, c: number, ldc: number,
  m: number, n: number, k: number, accumulate: boolean, bias: number, activation: number, scratch: number, packing: number,
): void {
  const threads = state.threads;
  const parts = partsFor(threads, m, n, k);
  if (parts === 1) {
    kernels.matmulF32(a, lda, transposeA ? 1 : 0, b, ldb, transposeB ? 1 : 0, c, ldc, m, n, k, accumulate ? 1 : 0, bias, activation, scratch);
    return;
  }
  const byRows = m >= n;
  const extent = byRows ? m : n;
  const tile = byRows ? 5 : 8;
  const slice = Math.ceil(extent / parts / tile) * tile;
  const job = state.job;
  let posted = 0;
  let start = 0;
  for (; posted < parts - 1 && start + slice < extent; posted++, start += slice) {
    sliceArguments(job, byRows, start, slice, a, lda, transposeA, b, ldb, transposeB, c, ldc, m, n, k, accumulate, bias, activation, scratch + (posted + 1) * packing);
    threads!.post(posted, job);
  }
  sliceArguments(job, byRows, start, extent - start, a, lda, transposeA, b, ldb, transposeB, c, ldc, m, n, k, accumulate, bias, activation, scratch);
  let failure: unknown = null;
  try {
    kernels.matmulF32(job[0], job[1], job[2], job[3], job[4], job[5], job[6], job[7], job[8], job[9], job[10], job[11], job[12], job[13], job[14]);
  } catch (error) {
    failure = error;
  }
  // Wait for every helper, even after a failure: each writes into C and reads its argument words until it is done.
  for (let helper = 0; helper < posted; helper++) {
    try {
      threads!.wait(helper);
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

/** How many threads share an [m, k] x [k, n] product: 1 without helpers or below the size threshold. */
function partsFor(threads: KernelThreads | null, m: number, n: number, k: number): number {
  if (threads === null || threads.isStopped || m * n * k < parallelMinimumMultiplyAdds) return 1;
  return threads.helpers + 1;
}

/** Fills `job` with the `matmulF32` arguments of rows (or columns) [start, start + count) of the product. */
function sliceArguments(
  job: number[], byRows: boolean, start: number, count: number,
  a: number, lda: number, transposeA: boolean, b: number, ldb: number, transposeB: boolean, c: number, ldc: number,
  m: number, n: number, k: number, accumulate: boolean, bias: number, activation: number, scratch: number,
): void {
  // Rows of op(A) start at a + i·lda (or a + i when transposed); columns of op(B) at b + j (or b + j·ldb).
  job[0] = byRows ? a + 4 * start * (transposeA ? 1 : lda) : a;
  job[1] = lda;
  job[2] = transposeA ? 1 : 0;
  job[3] = byRows ? b : b + 4 * start * (transposeB ? ldb : 1);
  job[4] = ldb;
  job[5] = transposeB ? 1 : 0;
  job[6] = c + 4 * start * (byRows ? ldc : 1);
  job[7] = ldc;
  job[8] = byRows ? count : m;
  job[9] = byRows ? n : count;
  job[10] = k;
  job[11] = accumulate ? 1 : 0;
  job[12] = bias === 0 || byRows ? bias : bias + 4 * start;
  job[13] = activation;
  job[14] = scratch;
}

/**
 * Runs one product in WebAssembly memory. An operand that lives in the kernel memory (allocated
 * with `allocateFloat32`, as layers do for parameters, activations and gradients) is read or
 * written in place at its address, with its own leading dimension; any other operand is copied
 * into the scratch region with `TypedArray.set` (a memcpy), and a copied C is copied back. So a
 * training step whose tensors are resident moves no data between JavaScript and WebAssembly memory.
 */
function runMatmul(
  kernels: WasmKernelExports, memory: KernelMemory, scratchState: MatmulScratch, args: MatmulArguments<Float32Array>,
  bias: Float32Array | null, biasOffset: number, activation: number,
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
  const aAddress = residentA ? memory.addressOf(a) + aOffset * 4 : scratch;
  const bAddress = residentB ? memory.addressOf(b) + bOffset * 4 : scratch + offsets[1];
  const cAddress = residentOut ? memory.addressOf(out) + outOffset * 4 : scratch + offsets[2];
  const cLeading = residentOut ? ldc : n;
  let biasAddress = 0;
  if (bias !== null) biasAddress = residentBias ? memory.addressOf(bias) + biasOffset * 4 : scratch + offsets[3];
  if (!residentA) heap.set(viewOf(a, aOffset, aOffset + aSpan), aAddress >> 2);
  if (!residentB) heap.set(viewOf(b, bOffset, bOffset + bSpan), bAddress >> 2);
  if (bias !== null && !residentBias) heap.set(viewOf(bias, biasOffset, biasOffset + n), biasAddress >> 2);
  const contiguousOut = ldc === n;
  if (accumulate && !residentOut) {
    if (contiguousOut) heap.set(viewOf(out, outOffset, outOffset + cSize), cAddress >> 2);
    else for (let row = 0; row < m; row++) heap.set(out.subarray(outOffset + row * ldc, outOffset + row * ldc + n), (cAddress >> 2) + row * n);
  }
  runSplit(kernels, scratchState, aAddress, lda, transposeA, bAddress, ldb, transposeB, cAddress, cLeading, m, n, k, accumulate, biasAddress, activation, scratch + offsets[4], packing);
  if (residentOut) return;
  const result = viewOf(heap, cAddress >> 2, (cAddress >> 2) + cSize);
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
export function createWasmKernels(variant: WasmVariant, reference: Kernels, options: { shared?: boolean } = {}): WasmKernels {
  const sharedMemory = options.shared === false ? null : createSharedKernelMemory();
  const sharedModule = sharedMemory === null ? null : compileWasmKernels(variant, true);
  const exports = instantiateKernelModule(sharedModule ?? compileWasmKernels(variant, false), sharedMemory);
  const memory = sharedMemory === null
    ? new KernelMemory(exports.memory, exports.heapBase(), false)
    : new KernelMemory(sharedMemory, exports.heapBase(), true, sharedMaximumPages);
  const scratchState: MatmulScratch = { offsets: [0, 0, 0, 0, 0], job: new Array<number>(15).fill(0), threads: null };
  return {
    name: variant === 'simd' ? 'wasm-simd' : 'wasm-relaxed-simd',
    matmulFloat32: (args) => runMatmul(exports, memory, scratchState, args, null, 0, wasmActivationCode.none),
    matmulFloat64: (args) => reference.matmulFloat64(args),
    matmulBiasActivationFloat32: (args, bias, biasOffset, activation) => runMatmul(exports, memory, scratchState, args, bias, biasOffset, wasmActivationCode[activation]),
    allocateFloat32: (length) => memory.allocateFloat32(length),
    memory,
    sharedMemory,
    sharedModule,
    useThreads: (threads) => {
      if (threads !== null && sharedMemory === null) throw new Error('kernel threads need the shared-memory kernel module; this backend owns an ordinary memory');
      scratchState.threads = threads;
    },
  };
}
