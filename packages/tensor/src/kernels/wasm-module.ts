import type { MatmulActivation } from './kernels.js';
import { wasmRelaxedSimdBase64, wasmSimdBase64 } from './wasm-binary.generated.js';

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
 * const exports: WasmKernelExports = instantiateWasmKernels('simd');
 * exports.matmulScratchBytes(64, 128, 784); // bytes of packed panels for [64,784] x [784,128]
 */
export interface WasmKernelExports {
  readonly memory: WebAssembly.Memory;
  /** First byte after the module's static data; everything above it belongs to the loader. */
  heapBase(): number;
  /** Bytes of packing scratch `matmulF32` needs for an [m, k] x [k, n] product. */
  matmulScratchBytes(m: number, n: number, k: number): number;
  /** C (+)= op(A)·op(B) [+ bias] [ReLU]; see `assembly/matmul.ts`. Booleans are passed as 0 or 1. */
  matmulF32(
    a: number, lda: number, transposeA: number,
    b: number, ldb: number, transposeB: number,
    c: number, ldc: number,
    m: number, n: number, k: number,
    accumulate: number, bias: number, activation: number, scratch: number,
  ): void;
  /** C[i, j] = act(C[i, j] + bias[j]) over an [m, n] block. */
  biasActivationF32(c: number, ldc: number, m: number, n: number, bias: number, activation: number): void;
}

/**
 * Activation codes understood by the kernel module (`assembly/matmul.ts`), by {@link MatmulActivation}.
 *
 * @example
 * exports.matmulF32(a, k, 0, b, n, 0, c, n, m, n, k, 0, bias, wasmActivationCode.relu, scratch);
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

const decoded: Partial<Record<WasmVariant, Uint8Array<ArrayBuffer>>> = {};

/**
 * The embedded bytes of a kernel module variant (decoded once).
 *
 * @example
 * const bytes = wasmModuleBytes('simd'); // Uint8Array starting with "\0asm"
 */
export function wasmModuleBytes(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  decoded[variant] ??= decodeBase64(variant === 'simd' ? wasmSimdBase64 : wasmRelaxedSimdBase64);
  return decoded[variant];
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
 * Compiles and instantiates a kernel module variant synchronously. The modules are under 4 KiB,
 * the size up to which browsers allow synchronous compilation on the main thread.
 *
 * @example
 * const kernels = instantiateWasmKernels('simd');
 * kernels.heapBase(); // a few hundred bytes: the static data
 */
export function instantiateWasmKernels(variant: WasmVariant): WasmKernelExports {
  const module = new WebAssembly.Module(wasmModuleBytes(variant));
  return new WebAssembly.Instance(module, {}).exports as unknown as WasmKernelExports;
}
