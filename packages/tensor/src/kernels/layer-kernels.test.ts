import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeEmbeddedModules } from '../testing/embedded-modules.js';
import { layerWasmBase64 } from './layer-binary.generated.js';
import { layerKernelsOn } from './layer-kernels.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the embedded WebAssembly layer-assembly modules', () => {
  it('were built from the current layer-assembly/ sources, flags and compiler (every recorded hash matches)', () => {
    const output = execFileSync(process.execPath, ['scripts/build-layer-wasm.mjs', '--check'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    expect(output).toContain('up to date');
  });
});

describeEmbeddedModules(
  'the embedded WebAssembly layer kernel module',
  [layerWasmBase64],
  [
    'addF32',
    'columnSumsF32',
    'geluTanhF32',
    'layerNormBackwardF32',
    'layerNormForwardF32',
    'maskedSoftmaxBackwardF32',
    'maskedSoftmaxF32',
    'multiplyF32',
  ],
  layerKernelsOn,
);
