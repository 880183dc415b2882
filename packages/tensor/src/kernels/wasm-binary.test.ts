import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wasmModuleBytes, type WasmVariant } from './wasm-module.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the embedded WebAssembly kernel modules', () => {
  it('were built from the current assembly/ sources, flags and compiler (the recorded hash matches)', () => {
    // The build script recomputes the sha256 of its inputs and compares it with the one recorded in
    // wasm-binary.generated.ts; it exits non-zero (and this throws) when assembly/ changed without `pnpm build:wasm`.
    const output = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: packageRoot, encoding: 'utf8' });
    expect(output).toContain('up to date');
  });

  // The relaxed module compiles only where relaxed SIMD is enabled: wasm-relaxed.test.ts checks it in a child process.
  it('simd: is a WebAssembly module exporting the kernel ABI', () => {
    const bytes = wasmModuleBytes('simd');
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]); // "\0asm"
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((entry) => entry.name).sort();
    expect(exports).toEqual(['biasActivationF32', 'heapBase', 'matmulF32', 'matmulScratchBytes', 'memory']);
  });

  it.each<WasmVariant>(['simd', 'relaxed-simd'])('%s: stays under 4 KiB, so browsers compile it synchronously on the main thread', (variant) => {
    expect(wasmModuleBytes(variant).length).toBeLessThan(4096);
  });
});
