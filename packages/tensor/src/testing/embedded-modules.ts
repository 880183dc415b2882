import { describe, expect, it } from 'vitest';
import { createSharedKernelMemory } from '../kernels/wasm-module.js';

/**
 * The checks every embedded layer-assembly module set gets (layer, image, recurrent-cell and loss
 * kernels): each module under 4 KiB (browsers compile it synchronously on the main thread), each
 * importing exactly a shared `env.memory`, the merged exports named `exports` (with one `memory`
 * per module), one instance per memory, and null on an ordinary memory, which the import refuses.
 *
 * @example
 * describeEmbeddedModules('the loss kernel module', [lossWasmBase64], ['softmaxCrossEntropyF32'], lossKernelsOn);
 */
export function describeEmbeddedModules(
  title: string,
  base64: readonly string[],
  exports: readonly string[],
  kernelsOn: (memory: WebAssembly.Memory) => object | null,
): void {
  describe(title, () => {
    it('stays under 4 KiB per module, so browsers compile it synchronously on the main thread', () => {
      for (const text of base64) expect(atob(text).length).toBeLessThan(4096);
    });

    it('imports a shared env.memory and exports its kernels; one instance per memory', () => {
      const names = base64.flatMap((text) => {
        const module = new WebAssembly.Module(Uint8Array.from(atob(text), (character) => character.charCodeAt(0)));
        expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
        return WebAssembly.Module.exports(module).map((entry) => entry.name);
      });
      expect(names.sort()).toEqual([...exports, ...base64.map(() => 'memory')].sort());
      const memory = createSharedKernelMemory()!;
      const kernels = kernelsOn(memory);
      expect(kernels).not.toBeNull();
      expect(kernelsOn(memory)).toBe(kernels);
      expect(kernelsOn(createSharedKernelMemory()!)).not.toBe(kernels);
      for (const name of exports) expect(typeof (kernels as Record<string, unknown>)[name]).toBe('function');
    });

    it('is null on an ordinary (unshared) memory, which the import refuses', () => {
      expect(kernelsOn(new WebAssembly.Memory({ initial: 1, maximum: 32768 }))).toBeNull();
    });
  });
}
