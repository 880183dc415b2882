import type { WasmKernelExports } from './wasm-module.js';

const pageBytes = 65536;
const alignment = 64;

function alignUp(value: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/**
 * The scratch region of a kernel module's memory: everything above `heapBase()`, grown when an
 * operation needs more and never shrunk, so a training loop of fixed shapes grows it on the first
 * step only. Growing a WebAssembly memory detaches its old ArrayBuffer, so the float32 view is
 * re-derived whenever the buffer changed, and callers take the view after reserving.
 *
 * @example
 * const arena = new WasmArena(instantiateWasmKernels('simd'));
 * const [input, output] = arena.reserve([1024, 1024]); // byte addresses, 64-byte aligned
 * arena.float32().set(values, input / 4);
 */
export class WasmArena {
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private view: Float32Array;

  constructor(kernels: WasmKernelExports) {
    this.memory = kernels.memory;
    this.base = alignUp(kernels.heapBase());
    this.view = new Float32Array(this.memory.buffer);
  }

  /** Bytes currently mapped (the module's whole memory). */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Lays out consecutive 64-byte aligned regions of the given byte sizes from the arena's start,
   * growing the memory if they do not fit, and returns their byte addresses. Each call reuses
   * the same bytes: regions are valid until the next `reserve`. `into` receives the addresses
   * (pass a reused array so a training step allocates nothing); a new array by default.
   */
  reserve(sizes: readonly number[], into: number[] = []): number[] {
    into.length = sizes.length;
    let end = this.base;
    for (let index = 0; index < sizes.length; index++) {
      into[index] = end;
      end = alignUp(end + sizes[index]);
    }
    const missing = end - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / pageBytes));
    return into;
  }

  /** A float32 view of the whole memory, re-derived after growth (an old view would be detached, length 0). */
  float32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }
}
