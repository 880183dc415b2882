import { describe, expect, it } from 'vitest';
import { gruWasmBase64 } from './gru-binary.generated.js';
import { recurrentWasmBase64 } from './recurrent-binary.generated.js';
import { recurrentKernelsOn } from './recurrent-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';

// The hash check of every layer module runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describe('the embedded WebAssembly recurrent cell kernel modules (LSTM and GRU)', () => {
  it('stay under 4 KiB each, so browsers compile them synchronously on the main thread', () => {
    expect(atob(recurrentWasmBase64).length).toBeLessThan(4096);
    expect(atob(gruWasmBase64).length).toBeLessThan(4096);
  });

  it('import a shared env.memory and export the cell kernels, together; one instance per memory', () => {
    const names = [recurrentWasmBase64, gruWasmBase64].flatMap((base64) => {
      const module = new WebAssembly.Module(Uint8Array.from(atob(base64), (character) => character.charCodeAt(0)));
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      return WebAssembly.Module.exports(module).map((entry) => entry.name);
    });
    expect(names.sort()).toEqual([
      'gruCellBackwardF32',
      'gruCellForwardF32',
      'lstmCellBackwardF32',
      'lstmCellForwardF32',
      'memory',
      'memory',
    ]);
    const memory = createSharedKernelMemory()!;
    const kernels = recurrentKernelsOn(memory)!;
    expect(recurrentKernelsOn(memory)).toBe(kernels);
    expect(typeof kernels.lstmCellForwardF32).toBe('function');
    expect(typeof kernels.gruCellForwardF32).toBe('function');
  });
});
