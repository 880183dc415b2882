import type { MatmulActivation } from './kernels.js';
import {
  wasmRelaxedSimdBase64,
  wasmRelaxedSimdSharedBase64,
  wasmSimdBase64,
  wasmSimdSharedBase64,
} from './wasm-binary.generated.js';

/**
 * The two compiled variants of the kernel module: plain WebAssembly SIMD, and relaxed SIMD (fused multiply-add).
 *
 * @example
 * const variant: WasmVariant = detectWasmVariant() ?? 'simd';
 */
export type WasmVariant = 'simd' | 'relaxed-simd';

/**
 * The exports of the AssemblyScript kernel module (`assembly/index.ts`). Pointers are byte addresses in `memory`.
 *
 * @example
 * const exports: WasmKernelExports = instantiateKernelModule(compileWasmKernels('simd', false), null);
 * exports.matmulScratchBytes(64, 128, 784); // bytes of packed panels for [64,784] x [784,128]
 */
export interface WasmKernelExports {
  readonly memory: WebAssembly.Memory;
  /** First byte after the module's static data; everything above it belongs to the loader. */
  heapBase(): number;
  /** Bytes of packing scratch `matmulF32` needs for an [m, k] x [k, n] product. */
  matmulScratchBytes(m: number, n: number, k: number): number;
  /** C (+)= op(A)·op(B) [+ bias] [ReLU]; see `assembly/matmul.ts`. Booleans are passed as 0 or 1. Call it through `runMatmulJob` (`matmul-job.ts`), which names the arguments. */
  matmulF32(
    a: number,
    lda: number,
    transposeA: number,
    b: number,
    ldb: number,
    transposeB: number,
    c: number,
    ldc: number,
    m: number,
    n: number,
    k: number,
    accumulate: number,
    bias: number,
    activation: number,
    scratch: number,
  ): void;
  /** Rows of the register tile (`MR` in `assembly/blocking.ts`): split products get row slices in multiples of it. */
  readonly tileRows: WebAssembly.Global;
  /** Columns of the register tile (`NR`): split products get column slices in multiples of it. */
  readonly tileColumns: WebAssembly.Global;
}

/**
 * Activation codes understood by the kernel module (`assembly/matmul.ts`), by {@link MatmulActivation}.
 *
 * @example
 * runMatmulJob(exports, { ...job, bias, activation: wasmActivationCode.relu });
 */
export const wasmActivationCode: Readonly<Record<MatmulActivation, number>> = { none: 0, relu: 1 };

/**
 * Validates a module's bytes, as `WebAssembly.validate` does; injectable so tests can simulate older runtimes.
 *
 * @example
 * const withoutSimd: ValidateWasm = () => false;
 * detectWasmVariant(withoutSimd); // null
 */
export type ValidateWasm = (bytes: Uint8Array<ArrayBuffer>) => boolean;

/**
 * Decodes base64 without Node's Buffer, so the main entry stays browser-safe (`atob` is global
 * in browsers and in Node 16+).
 */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const decoded = new Map<string, Uint8Array<ArrayBuffer>>();

/**
 * The maximum, in 64 KiB pages, that the shared variants declare for their imported memory
 * (2 GiB; `scripts/build-wasm.mjs` passes the same number to the compiler).
 *
 * @example
 * new WebAssembly.Memory({ initial: 1, maximum: sharedMaximumPages, shared: true });
 */
export const sharedMaximumPages = 32768;

/**
 * The embedded bytes of a kernel module variant (decoded once): with `shared`, the build that
 * imports a shared memory (`env.memory`) instead of owning an ordinary one.
 *
 * @example
 * const bytes = wasmModuleBytes('simd'); // Uint8Array starting with "\0asm"
 */
export function wasmModuleBytes(variant: WasmVariant, shared = false): Uint8Array<ArrayBuffer> {
  const key = `${variant}${shared ? '-shared' : ''}`;
  let bytes = decoded.get(key);
  if (bytes === undefined) {
    const text =
      variant === 'simd'
        ? shared
          ? wasmSimdSharedBase64
          : wasmSimdBase64
        : shared
          ? wasmRelaxedSimdSharedBase64
          : wasmRelaxedSimdBase64;
    bytes = decodeBase64(text);
    decoded.set(key, bytes);
  }
  return bytes;
}

function defaultValidate(bytes: Uint8Array<ArrayBuffer>): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function' && WebAssembly.validate(bytes);
}

/**
 * The best kernel module variant this runtime accepts: relaxed SIMD when it validates the
 * relaxed module, plain SIMD when it validates the SIMD module, `null` when it has no
 * WebAssembly SIMD at all. Validating the real modules (not probe snippets) means the answer is
 * exactly "can this module run here".
 *
 * @example
 * detectWasmVariant();                  // 'simd' on Node 20, 'relaxed-simd' on Chrome 114+
 * detectWasmVariant(() => false);       // null: as on a runtime without WebAssembly SIMD
 */
export function detectWasmVariant(validate: ValidateWasm = defaultValidate): WasmVariant | null {
  if (validate(wasmModuleBytes('relaxed-simd'))) return 'relaxed-simd';
  if (validate(wasmModuleBytes('simd'))) return 'simd';
  return null;
}

/**
 * A new shared WebAssembly memory for the shared kernel modules (1 page, growing up to
 * {@link sharedMaximumPages}), or `null` where shared memory is unavailable: no
 * SharedArrayBuffer (browsers without cross-origin isolation), or the engine refuses.
 *
 * @example
 * const memory = createSharedKernelMemory();
 * const kernels = instantiateKernelModule(compileWasmKernels('simd', memory !== null), memory);
 */
export function createSharedKernelMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer !== 'function') return null;
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: sharedMaximumPages, shared: true });
    return memory.buffer instanceof SharedArrayBuffer ? memory : null;
  } catch {
    return null;
  }
}

/**
 * Compiles a kernel module variant synchronously: with `shared`, the build that imports a shared
 * memory (so arrays over it are read in place, and several instances, one per thread, can share
 * it); otherwise the build that owns an ordinary memory. The modules are under 4 KiB, the size up
 * to which browsers allow synchronous compilation on the main thread.
 *
 * @example
 * const module = compileWasmKernels('simd', true); // what helper threads are handed too
 */
export function compileWasmKernels(variant: WasmVariant, shared: boolean): WebAssembly.Module {
  return new WebAssembly.Module(wasmModuleBytes(variant, shared));
}

/**
 * Instantiates a compiled kernel module: on `memory` for a shared build, with no imports (`null`)
 * for a build that owns its memory.
 *
 * @example
 * const kernels = instantiateKernelModule(compileWasmKernels('simd', false), null);
 * kernels.heapBase(); // a few bytes: the module has no static data
 */
export function instantiateKernelModule(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory | null,
): WasmKernelExports {
  const imports: WebAssembly.Imports = memory === null ? {} : { env: { memory } };
  return new WebAssembly.Instance(module, imports).exports as unknown as WasmKernelExports;
}
