import { describe, expect, it } from 'vitest';
import { recurrentWasmBase64 } from './recurrent-binary.generated.js';
import { recurrentKernelsOn } from './recurrent-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';

// The hash check of every layer module runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describe('the embedded WebAssembly recurrent cell kernel module', () => {
  it('stays under 4 KiB, so browsers compile it synchronously on the main thread', () => {
    expect(atob(recurrentWasmBase64).length).toBeLessThan(4096);
  });

  it('imports a shared env.memory and exports the LSTM cell kernels; one instance per memory', () => {
    const module = new WebAssembly.Module(
      Uint8Array.from(atob(recurrentWasmBase64), (character) => character.charCodeAt(0)),
    );
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(
      WebAssembly.Module.exports(module)
        .map((entry) => entry.name)
        .sort(),
    ).toEqual(['lstmCellBackwardF32', 'lstmCellForwardF32', 'memory']);
    const memory = createSharedKernelMemory()!;
    const kernels = recurrentKernelsOn(memory)!;
    expect(recurrentKernelsOn(memory)).toBe(kernels);
    expect(typeof kernels.lstmCellForwardF32).toBe('function');
  });
});
