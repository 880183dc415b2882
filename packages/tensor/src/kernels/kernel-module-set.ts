import type { KernelMemory } from './kernel-memory.js';
import { activeKernels } from './kernel-selection.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * The bytes of a base64-embedded WebAssembly module.
 *
 * @example
 * const bytes = decodeModule(layerWasmBase64);
 */
export function decodeModule(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Small WebAssembly kernel modules that import the kernel module's shared memory as
 * `env.memory` (the layer, image, recurrent-cell and loss modules of `layer-assembly/`): compiled
 * once on first use (each under 4 KiB, so synchronously even on a browser's main thread),
 * instantiated once per memory with their exports merged into one object, and found for the
 * active backend. Where WebAssembly SIMD or shared memory is missing (a module does not validate,
 * or the import refuses an ordinary memory) every lookup gives null, and callers run their
 * TypeScript loops.
 *
 * @example
 * const imageModules = new KernelModuleSet<ImageKernelExports>([imageWasmBase64, imageNormWasmBase64]);
 * imageModules.on(memory)?.reluF32(x, y, n);
 * imageModules.ofActiveBackend(); // { kernels, memory } or null
 */
export class KernelModuleSet<Exports> {
  private compiled: readonly WebAssembly.Module[] | null | undefined;
  private readonly instances = new WeakMap<WebAssembly.Memory, Exports | null>();
  private readonly byBackend = new WeakMap<object, { kernels: Exports; memory: KernelMemory } | null>();
  private readonly decoded: Uint8Array<ArrayBuffer>[] = [];

  /** @param base64 each module's bytes, base64 (the `*.generated.ts` constants) */
  constructor(private readonly base64: readonly string[]) {}

  /**
   * The bytes of module `index` (in the constructor's order), decoded once: the same array at
   * every call, which kernel threads instantiate through `ParallelKernels.register` to share a
   * large pass (`split-kernel.ts`).
   */
  bytes(index: number): Uint8Array<ArrayBuffer> {
    return (this.decoded[index] ??= decodeModule(this.base64[index]));
  }

  /** The compiled modules, or null where one does not validate. */
  modules(): readonly WebAssembly.Module[] | null {
    if (this.compiled !== undefined) return this.compiled;
    try {
      const modules = this.base64.map((text) => {
        const bytes = decodeModule(text);
        return WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
      });
      this.compiled = modules.every((module) => module !== null) ? (modules as WebAssembly.Module[]) : null;
    } catch {
      this.compiled = null;
    }
    return this.compiled;
  }

  /** The merged exports of every module instantiated on `memory` (cached per memory), or null. */
  on(memory: WebAssembly.Memory): Exports | null {
    let exports = this.instances.get(memory);
    if (exports === undefined) {
      const modules = this.modules();
      try {
        exports =
          modules === null
            ? null
            : (Object.assign(
                {},
                ...modules.map((module) => new WebAssembly.Instance(module, { env: { memory } }).exports),
              ) as Exports);
      } catch {
        exports = null;
      }
      this.instances.set(memory, exports);
    }
    return exports;
  }

  /**
   * The kernels on the active backend's memory when it is WebAssembly on a shared memory, with
   * that memory (cached per backend, so a steady-state call allocates nothing); null otherwise.
   */
  ofActiveBackend(): { kernels: Exports; memory: KernelMemory } | null {
    const backend = activeKernels();
    let found = this.byBackend.get(backend);
    if (found === undefined) {
      const { sharedMemory, memory } = backend as Partial<WasmKernels>;
      const kernels = sharedMemory == null || memory === undefined ? null : this.on(sharedMemory);
      found = kernels === null ? null : { kernels, memory: memory! };
      this.byBackend.set(backend, found);
    }
    return found;
  }
}
