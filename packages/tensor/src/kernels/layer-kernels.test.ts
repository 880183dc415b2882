import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layerWasmBase64 } from './layer-binary.generated.js';
import { layerKernelsOn } from './layer-kernels.js';
import { createSharedKernelMemory } from './wasm-module.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the embedded WebAssembly layer kernel module', () => {
  it('was built from the current layer-assembly/ sources, flags and compiler (the recorded hash matches)', () => {
    const output = execFileSync(process.execPath, ['scripts/build-layer-wasm.mjs', '--check'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    expect(output).toContain('up to date');
  });

  it('imports a shared env.memory and exports its kernels; one instance per memory', () => {
    const bytes = Uint8Array.from(atob(layerWasmBase64), (character) => character.charCodeAt(0));
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(
      WebAssembly.Module.exports(module)
        .map((entry) => entry.name)
        .sort(),
    ).toEqual([
      'addF32',
      'columnSumsF32',
      'geluTanhF32',
      'layerNormBackwardF32',
      'layerNormForwardF32',
      'maskedSoftmaxBackwardF32',
      'maskedSoftmaxF32',
      'memory',
      'multiplyF32',
    ]);
    const memory = createSharedKernelMemory()!;
    const kernels = layerKernelsOn(memory);
    expect(kernels).not.toBeNull();
    expect(layerKernelsOn(memory)).toBe(kernels);
    expect(layerKernelsOn(createSharedKernelMemory()!)).not.toBe(kernels);
  });

  it('stays under 4 KiB, so browsers compile it synchronously on the main thread', () => {
    expect(atob(layerWasmBase64).length).toBeLessThan(4096);
  });

  it('is null on an ordinary (unshared) memory, which its import refuses', () => {
    expect(layerKernelsOn(new WebAssembly.Memory({ initial: 1, maximum: 32768 }))).toBeNull();
  });
});
