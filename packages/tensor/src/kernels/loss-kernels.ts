import type { KernelMemory } from './kernel-memory.js';
import { KernelModuleSet } from './kernel-module-set.js';
import { lossWasmBase64 } from './loss-binary.generated.js';

/**
 * The exports of the loss kernel module (`layer-assembly/loss-index.ts`), instantiated on the
 * kernel module's shared memory. Pointers are byte addresses in that memory.
 *
 * @example
 * lossKernelsOn(memory)?.softmaxCrossEntropyF32(z, labels, gradient, statistics, 768, 85, 1 / 768, -1);
 */
export interface LossKernelExports {
  /** Softmax cross-entropy's gradient and per-row (max, sum, label logit); see `layer-assembly/softmax-cross-entropy.ts`. */
  softmaxCrossEntropyF32(
    logits: number,
    labels: number,
    gradient: number,
    rowStatistics: number,
    rows: number,
    classes: number,
    scale: number,
    ignoreIndex: number,
  ): void;
}

const lossModules = new KernelModuleSet<LossKernelExports>([lossWasmBase64]);

/**
 * The loss kernels running on `memory` (the shared memory of the matmul module), instantiated on
 * first use and cached per memory; `null` where WebAssembly SIMD or shared memory is missing.
 *
 * @example
 * const kernels = lossKernelsOn(backend.sharedMemory);
 */
export function lossKernelsOn(memory: WebAssembly.Memory): LossKernelExports | null {
  return lossModules.on(memory);
}

/**
 * The loss kernels, the memory they run on, and resident staging for a call's labels and row
 * statistics (grown on demand and kept, so steady-state calls allocate nothing).
 *
 * @example
 * const { kernels, memory } = lossKernelsOfActiveBackend()!;
 */
export interface ResidentLossKernels {
  readonly kernels: LossKernelExports;
  /** The backend's memory: `owns(array)` says whether kernels can run on an array. */
  readonly memory: KernelMemory;
  /** At least `length` float32 words of resident staging, the same block while it is large enough; null when the memory is full. */
  staging(length: number): Float32Array | null;
}

/** The staging of each backend's kernels, made once. */
const withStaging = new WeakMap<object, ResidentLossKernels>();

/**
 * The loss kernels of the active backend when it is WebAssembly on a shared memory (cached per
 * backend); null otherwise, and the caller runs its TypeScript loop.
 *
 * @example
 * const resident = lossKernelsOfActiveBackend();
 */
export function lossKernelsOfActiveBackend(): ResidentLossKernels | null {
  const resident = lossModules.ofActiveBackend();
  if (resident === null) return null;
  let found = withStaging.get(resident);
  if (found === undefined) {
    const { memory } = resident;
    let block: Float32Array | null = null;
    const staging = (length: number): Float32Array | null => {
      if (block === null || block.length < length) block = memory.allocateFloat32(Math.max(length, 256));
      return block;
    };
    found = { ...resident, staging };
    withStaging.set(resident, found);
  }
  return found;
}
