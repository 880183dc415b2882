import type { KernelMemory } from './kernel-memory.js';
import { activeKernels } from './kernel-selection.js';
import { recurrentWasmBase64 } from './recurrent-binary.generated.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * The exports of the recurrent cell kernel module (`layer-assembly/recurrent-index.ts`), on the
 * kernel module's shared memory. Pointers are byte addresses in that memory; `rows` rows of
 * `units` hidden units, gates of row stride 4·units, states of row stride `units`.
 *
 * @example
 * recurrentKernelsOfActiveBackend()?.kernels.lstmCellForwardF32(gates, previous, cell, cellTanh, hidden, 32, 128);
 */
export interface RecurrentKernelExports {
  /** The LSTM cell forward (activations in place, c′, tanh c′, h′); see `layer-assembly/lstm-cell.ts`. */
  lstmCellForwardF32(
    gates: number,
    previous: number,
    cell: number,
    cellTanh: number,
    hidden: number,
    rows: number,
    units: number,
  ): void;
  /** The LSTM cell backward (gate pre-activation gradients, d c·f over the cell gradient). */
  lstmCellBackwardF32(
    gates: number,
    previous: number,
    cellTanh: number,
    hiddenGradient: number,
    cellGradient: number,
    gateGradients: number,
    rows: number,
    units: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, RecurrentKernelExports | null>();

/** The module, compiled once (under 4 KiB, so synchronously even on a browser's main thread; a test checks the size); null where it does not validate. */
function recurrentKernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const binary = atob(recurrentWasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * The recurrent cell kernels running on `memory` (the shared WebAssembly memory of the matmul
 * module), instantiated on first use and cached per memory; `null` where WebAssembly SIMD or
 * shared memory is missing (callers then run their TypeScript loops).
 *
 * @example
 * const kernels = recurrentKernelsOn(backend.sharedMemory);
 */
export function recurrentKernelsOn(memory: WebAssembly.Memory): RecurrentKernelExports | null {
  let exports = instances.get(memory);
  if (exports === undefined) {
    const module = recurrentKernelModule();
    try {
      exports =
        module === null
          ? null
          : (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RecurrentKernelExports);
    } catch {
      exports = null;
    }
    instances.set(memory, exports);
  }
  return exports;
}

/**
 * The recurrent cell kernels and the memory they run on, for a WebAssembly backend on a shared memory.
 *
 * @example
 * const { kernels, memory } = recurrentKernelsOfActiveBackend()!;
 */
export interface ResidentRecurrentKernels {
  readonly kernels: RecurrentKernelExports;
  /** The backend's memory: `owns(array)` says whether kernels can run on an array, at `addressOf(array) + 4·offset`. */
  readonly memory: KernelMemory;
}

const byBackend = new WeakMap<object, ResidentRecurrentKernels | null>();

/**
 * The recurrent cell kernels of the active backend when it is WebAssembly on a shared memory
 * (cached per backend, so a steady-state call allocates nothing); null otherwise, and the caller
 * runs its TypeScript loop.
 *
 * @example
 * const resident = recurrentKernelsOfActiveBackend();
 * if (resident !== null && resident.memory.owns(gates)) resident.kernels.lstmCellForwardF32(resident.memory.addressOf(gates), previous, cell, cellTanh, hidden, rows, units);
 */
export function recurrentKernelsOfActiveBackend(): ResidentRecurrentKernels | null {
  const backend = activeKernels();
  let found = byBackend.get(backend);
  if (found === undefined) {
    const { sharedMemory, memory } = backend as Partial<WasmKernels>;
    const kernels = sharedMemory == null || memory === undefined ? null : recurrentKernelsOn(sharedMemory);
    found = kernels === null ? null : { kernels, memory: memory! };
    byBackend.set(backend, found);
  }
  return found;
}
