import { describe, expect, it } from 'vitest';
import { lossWasmBase64 } from './loss-binary.generated.js';
import { lossKernelsOn } from './loss-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';

describe('the embedded WebAssembly loss kernel module', () => {
  it('imports a shared env.memory and exports its kernel; one instance per memory', () => {
    const bytes = Uint8Array.from(atob(lossWasmBase64), (character) => character.charCodeAt(0));
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(
      WebAssembly.Module.exports(module)
        .map((entry) => entry.name)
        .sort(),
    ).toEqual(['memory', 'softmaxCrossEntropyF32']);
    const memory = createSharedKernelMemory()!;
    const kernels = lossKernelsOn(memory);
    expect(kernels).not.toBeNull();
    expect(lossKernelsOn(memory)).toBe(kernels);
    expect(lossKernelsOn(createSharedKernelMemory()!)).not.toBe(kernels);
  });

  it('stays under 4 KiB, so browsers compile it synchronously on the main thread', () => {
    expect(atob(lossWasmBase64).length).toBeLessThan(4096);
  });

  it('is null on an ordinary (unshared) memory, which its import refuses', () => {
    expect(lossKernelsOn(new WebAssembly.Memory({ initial: 1, maximum: 32768 }))).toBeNull();
  });
});
