import { describe, expect, it } from 'vitest';
import { imageWasmBase64 } from './image-binary.generated.js';
import { imageKernelsOn } from './image-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';

// The hash check of both layer modules runs in layer-kernels.test.ts (`build-layer-wasm.mjs --check`).
describe('the embedded WebAssembly image layer kernel module', () => {
  it('stays under 4 KiB, so browsers compile it synchronously on the main thread', () => {
    expect(atob(imageWasmBase64).length).toBeLessThan(4096);
  });

  it('imports a shared env.memory and exports its kernels; one instance per memory', () => {
    const bytes = Uint8Array.from(atob(imageWasmBase64), (character) => character.charCodeAt(0));
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(
      WebAssembly.Module.exports(module)
        .map((entry) => entry.name)
        .sort(),
    ).toEqual([
      'batchNormGradientSumsF32',
      'batchNormInputGradientF32',
      'batchNormNormalizeF32',
      'channelSumsF32',
      'col2imF32',
      'im2colF32',
      'memory',
      'reluBackwardF32',
      'reluF32',
      'transposeBlocksF32',
    ]);
    const memory = createSharedKernelMemory()!;
    expect(imageKernelsOn(memory)).toBe(imageKernelsOn(memory));
  });
});
