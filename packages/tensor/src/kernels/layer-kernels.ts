import { layerWasmBase64 } from './layer-binary.generated.js';

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
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, LayerKernelExports | null>();

/** The module, compiled once (1 KiB, so synchronously even on a browser's main thread); null where it does not validate. */
function layerKernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const binary = atob(layerWasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
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
  let exports = instances.get(memory);
  if (exports === undefined) {
    const module = layerKernelModule();
    try {
      exports =
        module === null
          ? null
          : (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LayerKernelExports);
    } catch {
      exports = null;
    }
    instances.set(memory, exports);
  }
  return exports;
}
