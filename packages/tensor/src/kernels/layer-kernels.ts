import { layerWasmBase64 } from './layer-binary.generated.js';
import type { KernelMemory } from './kernel-memory.js';
import { KernelModuleSet } from './kernel-module-set.js';

/**
 * The exports of the layer kernel module (`layer-assembly/index.ts`), instantiated on the
 * kernel module's shared memory. Pointers are byte addresses in that memory.
 *
 * @example
 * layerKernelsOn(memory)?.geluTanhF32(xAddress, yAddress, 0, n);
 */
export interface LayerKernelExports {
  /** y = GELU_tanh(x) for n float32 values and, when `slope` is not 0, slope = dy/dx; see `layer-assembly/gelu-tanh.ts`. */
  geluTanhF32(x: number, y: number, slope: number, n: number): void;
  /** LayerNorm forward over rows of `size` (a multiple of 4); see `layer-assembly/layer-norm.ts`. */
  layerNormForwardF32(
    x: number,
    y: number,
    gamma: number,
    beta: number,
    rows: number,
    size: number,
    epsilon: number,
  ): void;
  /** LayerNorm backward (dγ and dβ accumulated); see `layer-assembly/layer-norm.ts`. */
  layerNormBackwardF32(
    x: number,
    dy: number,
    gamma: number,
    dx: number,
    gammaGradient: number,
    betaGradient: number,
    rows: number,
    size: number,
    epsilon: number,
  ): void;
  /** Attention's masked softmax in place (`keys` a multiple of 4); see `layer-assembly/masked-softmax.ts`. */
  maskedSoftmaxF32(values: number, rows: number, queries: number, keys: number, causal: number, scale: number): void;
  /** out = a + b over n float32 values. */
  addF32(a: number, b: number, out: number, n: number): void;
  /** out = a · b over n float32 values. */
  multiplyF32(a: number, b: number, out: number, n: number): void;
  /** out[j] = Σ_rows x[row·stride + j] in float64, for `columns` (≤ stride) a multiple of 4 and at least 8. */
  columnSumsF32(x: number, out: number, rows: number, columns: number, stride: number): void;
  /** Its backward, in place over `gradient`. */
  maskedSoftmaxBackwardF32(
    probabilities: number,
    gradient: number,
    rows: number,
    queries: number,
    keys: number,
    causal: number,
    scale: number,
  ): void;
}

const layerModules = new KernelModuleSet<LayerKernelExports>([layerWasmBase64]);

/**
 * The bytes of the layer kernel module (decoded once), which kernel threads instantiate through
 * `ParallelKernels.register` to share a large layer pass (`layer-kernels-split.ts`).
 *
 * @example
 * const module = parallel.register(layerKernelBytes());
 */
export function layerKernelBytes(): Uint8Array<ArrayBuffer> {
  return layerModules.bytes(0);
}

/**
 * The layer kernels running on `memory` (a shared WebAssembly memory, the one the matmul
 * module and its resident arrays use), instantiated on first use and cached per memory; `null`
 * where WebAssembly SIMD or shared memory is missing (callers then run their TypeScript loops).
 *
 * @example
 * const layerKernels = layerKernelsOn(kernels.sharedMemory);
 */
export function layerKernelsOn(memory: WebAssembly.Memory): LayerKernelExports | null {
  return layerModules.on(memory);
}

/**
 * The layer kernels and the memory they run on, for a WebAssembly backend on a shared memory.
 *
 * @example
 * const { kernels, memory } = layerKernelsOfActiveBackend()!;
 */
export interface ResidentLayerKernels {
  readonly kernels: LayerKernelExports;
  /** The backend's memory: `owns(array)` says whether kernels can run on an array, at `addressOf(array) + 4·offset`. */
  readonly memory: KernelMemory;
}

/**
 * The layer kernels of the active backend when it is WebAssembly on a shared memory (cached per
 * backend, so a steady-state call allocates nothing); null otherwise (the TypeScript kernels, or
 * a memory that is not shared), and the caller runs its TypeScript loop.
 *
 * @example
 * const resident = layerKernelsOfActiveBackend();
 * if (resident !== null && resident.memory.owns(x) && resident.memory.owns(y))
 *   resident.kernels.geluTanhF32(resident.memory.addressOf(x), resident.memory.addressOf(y), 0, x.length);
 */
export function layerKernelsOfActiveBackend(): ResidentLayerKernels | null {
  return layerModules.ofActiveBackend();
}
