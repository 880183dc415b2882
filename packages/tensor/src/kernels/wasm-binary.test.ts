import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedMaximumPages, wasmModuleBytes, type WasmVariant } from './wasm-module.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the embedded WebAssembly kernel modules', () => {
  it('were built from the current assembly/ sources, flags and compiler (the recorded hash matches)', () => {
    // The build script recomputes the sha256 of its inputs and compares it with the one recorded in
    // wasm-binary.generated.ts; it exits non-zero (and this throws) when assembly/ changed without `pnpm build:wasm`.
    const output = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    expect(output).toContain('up to date');
  });

  // The relaxed module compiles only where relaxed SIMD is enabled: wasm-relaxed.test.ts checks it in a child process.
  it.each([false, true])('simd (shared memory: %s): is a WebAssembly module exporting the kernel ABI', (shared) => {
    const bytes = wasmModuleBytes('simd', shared);
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    const module = new WebAssembly.Module(bytes);
    const exports = WebAssembly.Module.exports(module)
      .map((entry) => entry.name)
      .sort();
    expect(exports).toEqual(['heapBase', 'matmulF32', 'matmulScratchBytes', 'memory', 'tileColumns', 'tileRows']);
    // The shared build imports its memory (env.memory); the other owns one and imports nothing.
    expect(WebAssembly.Module.imports(module)).toEqual(
      shared ? [{ module: 'env', name: 'memory', kind: 'memory' }] : [],
    );
  });

  it('simd-shared: refuses an ordinary memory and runs on a shared one (the import is declared shared)', () => {
    const module = new WebAssembly.Module(wasmModuleBytes('simd', true));
    expect(
      () =>
        new WebAssembly.Instance(module, {
          env: { memory: new WebAssembly.Memory({ initial: 1, maximum: sharedMaximumPages }) },
        }),
    ).toThrow(WebAssembly.LinkError);
    expect(
      () =>
        new WebAssembly.Instance(module, {
          env: { memory: new WebAssembly.Memory({ initial: 1, maximum: sharedMaximumPages, shared: true }) },
        }),
    ).not.toThrow();
  });

  it.each<[WasmVariant, boolean]>([
    ['simd', false],
    ['relaxed-simd', false],
    ['simd', true],
    ['relaxed-simd', true],
  ])(
    '%s (shared memory: %s): stays under 4 KiB, so browsers compile it synchronously on the main thread',
    (variant, shared) => {
      expect(wasmModuleBytes(variant, shared).length).toBeLessThan(4096);
    },
  );
});
