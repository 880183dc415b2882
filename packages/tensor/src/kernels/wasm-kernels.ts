import type { Kernels, MatmulActivation, MatmulArguments } from './kernels.js';
import { WasmArena } from './wasm-arena.js';
import { instantiateWasmKernels, wasmActivationCode, type WasmKernelExports, type WasmVariant } from './wasm-module.js';

/**
 * The WebAssembly backend's kernels: {@link Kernels} with the fused Dense forward always present.
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
  /** The scratch memory's size in bytes (for tests and benchmarks of the copy cost). */
  scratchBytes(): number;
}

/** Elements spanned by a row-major [rows, columns] matrix with row stride `leading`: what must be copied to read it. */
function span(rows: number, columns: number, leading: number): number {
  return rows === 0 || columns === 0 ? 0 : (rows - 1) * leading + columns;
}

/**
 * Runs one product in WebAssembly memory: copies the spans of A and B (and C when accumulating)
 * into the arena with `TypedArray.set` (a memcpy), calls the kernel, copies C back. C is laid out
 * compactly (row stride n) in the arena, so rows of a strided `out` are copied one by one and the
 * elements between them are never touched.
 */
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
  sizes: number[];
  addresses: number[];
}

function runMatmul(
  kernels: WasmKernelExports, arena: WasmArena, scratchState: MatmulScratch, args: MatmulArguments<Float32Array>,
  bias: Float32Array | null, biasOffset: number, activation: number,
): void {
  const { a, aOffset, lda, transposeA, b, bOffset, ldb, transposeB, out, outOffset, ldc, m, n, k, accumulate } = args;
  if (m === 0 || n === 0) return;
  const aSpan = transposeA ? span(k, m, lda) : span(m, k, lda);
  const bSpan = transposeB ? span(n, k, ldb) : span(k, n, ldb);
  const cSize = m * n;
  const sizes = scratchState.sizes;
  sizes[0] = aSpan * 4;
  sizes[1] = bSpan * 4;
  sizes[2] = cSize * 4;
  sizes[3] = bias === null ? 0 : n * 4;
  sizes[4] = kernels.matmulScratchBytes(m, n, k);
  const addresses = arena.reserve(sizes, scratchState.addresses);
  const aAddress = addresses[0];
  const bAddress = addresses[1];
  const cAddress = addresses[2];
  const biasAddress = addresses[3];
  const heap = arena.float32();
  heap.set(viewOf(a, aOffset, aOffset + aSpan), aAddress >> 2);
  heap.set(viewOf(b, bOffset, bOffset + bSpan), bAddress >> 2);
  if (bias !== null) heap.set(viewOf(bias, biasOffset, biasOffset + n), biasAddress >> 2);
  const contiguousOut = ldc === n;
  if (accumulate) {
    if (contiguousOut) heap.set(viewOf(out, outOffset, outOffset + cSize), cAddress >> 2);
    else for (let row = 0; row < m; row++) heap.set(out.subarray(outOffset + row * ldc, outOffset + row * ldc + n), (cAddress >> 2) + row * n);
  }
  kernels.matmulF32(
    aAddress, lda, transposeA ? 1 : 0, bAddress, ldb, transposeB ? 1 : 0, cAddress, n,
    m, n, k, accumulate ? 1 : 0, bias === null ? 0 : biasAddress, activation, addresses[4],
  );
  const result = viewOf(heap, cAddress >> 2, (cAddress >> 2) + cSize);
  if (contiguousOut) out.set(result, outOffset);
  else for (let row = 0; row < m; row++) out.set(result.subarray(row * n, row * n + n), outOffset + row * ldc);
}

/**
 * The WebAssembly SIMD backend: float32 matmul (all four transpose cases, accumulate, fused
 * bias + ReLU) runs in the AssemblyScript kernel module; float64 goes to `reference` (the
 * TypeScript kernels), which this backend has nothing faster for.
 *
 * Numerics: float32 accumulation in SIMD lanes, in blocks of 256 along k; results differ from the
 * reference by rounding only (relative ~1e-6 for k in the hundreds). Deterministic: the same
 * inputs and shapes give bit-identical outputs on a given variant. The relaxed variant uses
 * fused multiply-add where the CPU has it, so its last bits differ from the plain SIMD variant's.
 *
 * @example
 * const kernels = createWasmKernels('simd', jsKernels);
 * kernels.matmulFloat32({ a, aOffset: 0, lda: k, transposeA: false, b, bOffset: 0, ldb: n,
 *   transposeB: false, out, outOffset: 0, ldc: n, m, n, k, accumulate: false });
 */
export function createWasmKernels(variant: WasmVariant, reference: Kernels): WasmKernels {
  const exports = instantiateWasmKernels(variant);
  const arena = new WasmArena(exports);
  const scratchState: MatmulScratch = { sizes: [0, 0, 0, 0, 0], addresses: [0, 0, 0, 0, 0] };
  return {
    name: variant === 'simd' ? 'wasm-simd' : 'wasm-relaxed-simd',
    matmulFloat32: (args) => runMatmul(exports, arena, scratchState, args, null, 0, wasmActivationCode.none),
    matmulFloat64: (args) => reference.matmulFloat64(args),
    matmulBiasActivationFloat32: (args, bias, biasOffset, activation) => runMatmul(exports, arena, scratchState, args, bias, biasOffset, wasmActivationCode[activation]),
    scratchBytes: () => arena.byteLength,
  };
}
