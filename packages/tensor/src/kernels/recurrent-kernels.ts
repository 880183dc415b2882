import type { KernelMemory } from './kernel-memory.js';
import { KernelModuleSet } from './kernel-module-set.js';
import { gruWasmBase64 } from './gru-binary.generated.js';
import { recurrentWasmBase64 } from './recurrent-binary.generated.js';

/**
 * The exports of the two recurrent cell kernel modules (`layer-assembly/recurrent-index.ts`, the
 * LSTM cell, and `layer-assembly/gru-index.ts`, the GRU cell), on the kernel module's shared memory. Pointers are byte addresses in that memory; `rows` rows of
 * `units` hidden units, gates of row stride 4·units (LSTM) or 3·units (GRU), states of row stride `units`.
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
  /** The GRU cell forward (b_hh added to the projection, activations in place, h′); see `layer-assembly/gru-cell.ts`. */
  gruCellForwardF32(
    gates: number,
    projection: number,
    bias: number,
    previous: number,
    hidden: number,
    rows: number,
    units: number,
  ): void;
  /** The GRU cell backward (input- and hidden-side gate gradients, d h′·z). */
  gruCellBackwardF32(
    gates: number,
    projection: number,
    previous: number,
    hiddenGradient: number,
    gateGradients: number,
    hiddenGateGradients: number,
    previousGradient: number,
    rows: number,
    units: number,
  ): void;
}

const recurrentModules = new KernelModuleSet<RecurrentKernelExports>([recurrentWasmBase64, gruWasmBase64]);

/**
 * The recurrent cell kernels running on `memory` (the shared WebAssembly memory of the matmul
 * module), instantiated on first use and cached per memory; `null` where WebAssembly SIMD or
 * shared memory is missing (callers then run their TypeScript loops).
 *
 * @example
 * const kernels = recurrentKernelsOn(backend.sharedMemory);
 */
export function recurrentKernelsOn(memory: WebAssembly.Memory): RecurrentKernelExports | null {
  return recurrentModules.on(memory);
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
  return recurrentModules.ofActiveBackend();
}
