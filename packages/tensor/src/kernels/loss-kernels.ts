import type { KernelMemory } from './kernel-memory.js';
import { activeKernels } from './kernel-selection.js';
import { lossWasmBase64 } from './loss-binary.generated.js';
import type { WasmKernels } from './wasm-kernels.js';

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

/** The module, compiled once (under 4 KiB: synchronously even on a browser's main thread); null where it does not validate. */
let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, LossKernelExports | null>();

function lossKernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = Uint8Array.from(atob(lossWasmBase64), (character) => character.charCodeAt(0));
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * The loss kernels running on `memory` (the shared memory of the matmul module), instantiated on
 * first use and cached per memory; `null` where WebAssembly SIMD or shared memory is missing.
 *
 * @example
 * const kernels = lossKernelsOn(backend.sharedMemory);
 */
export function lossKernelsOn(memory: WebAssembly.Memory): LossKernelExports | null {
  let exports = instances.get(memory);
  if (exports === undefined) {
    const module = lossKernelModule();
    try {
      exports =
        module === null
          ? null
          : (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LossKernelExports);
    } catch {
      exports = null;
    }
    instances.set(memory, exports);
  }
  return exports;
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

const byBackend = new WeakMap<object, ResidentLossKernels | null>();

/**
 * The loss kernels of the active backend when it is WebAssembly on a shared memory (cached per
 * backend); null otherwise, and the caller runs its TypeScript loop.
 *
 * @example
 * const resident = lossKernelsOfActiveBackend();
 */
export function lossKernelsOfActiveBackend(): ResidentLossKernels | null {
  const backend = activeKernels();
  let found = byBackend.get(backend);
  if (found === undefined) {
    const { sharedMemory, memory } = backend as Partial<WasmKernels>;
    const kernels = sharedMemory == null || memory === undefined ? null : lossKernelsOn(sharedMemory);
    if (kernels === null) found = null;
    else {
      let block: Float32Array | null = null;
      const staging = (length: number): Float32Array | null => {
        if (block === null || block.length < length) block = memory!.allocateFloat32(Math.max(length, 256));
        return block;
      };
      found = { kernels, memory: memory!, staging };
    }
    byBackend.set(backend, found);
  }
  return found;
}
