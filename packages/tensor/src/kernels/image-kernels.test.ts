import { describe, expect, it } from 'vitest';
import { imageWasmBase64 } from './image-binary.generated.js';
import { imageNormWasmBase64 } from './image-norm-binary.generated.js';
import { imageKernelsOn } from './image-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';

// The hash check of both layer modules runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describe('the embedded WebAssembly image layer kernel modules', () => {
  it('stay under 4 KiB each, so browsers compile them synchronously on the main thread', () => {
    expect(atob(imageWasmBase64).length).toBeLessThan(4096);
    expect(atob(imageNormWasmBase64).length).toBeLessThan(4096);
  });

  it('import a shared env.memory and export their kernels, together; one instance per memory', () => {
    const names = [imageWasmBase64, imageNormWasmBase64].flatMap((base64) => {
      const module = new WebAssembly.Module(Uint8Array.from(atob(base64), (character) => character.charCodeAt(0)));
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      return WebAssembly.Module.exports(module).map((entry) => entry.name);
    });
    expect(names.sort()).toEqual([
      'batchNormGradientSumsF32',
      'batchNormInputGradientF32',
      'batchNormNormalizeF32',
      'channelSumsF32',
      'col2imF32',
      'im2colF32',
      'memory',
      'memory',
      'reluBackwardF32',
      'reluF32',
      'transposeBlocksF32',
    ]);
    const memory = createSharedKernelMemory()!;
    const kernels = imageKernelsOn(memory)!;
    expect(imageKernelsOn(memory)).toBe(kernels);
    expect(typeof kernels.im2colF32).toBe('function');
    expect(typeof kernels.reluF32).toBe('function');
  });
});
