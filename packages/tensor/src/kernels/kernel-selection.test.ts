import { afterEach, describe, expect, it } from 'vitest';
import { activeKernels, registerKernelsCandidate, useKernels } from './kernel-selection.js';
import { jsKernels } from './js-kernels.js';
import type { Kernels } from './kernels.js';
import { wasmModuleBytes } from './wasm-module.js';

const fake: Kernels = { name: 'fake', matmulFloat32: jsKernels.matmulFloat32, matmulFloat64: jsKernels.matmulFloat64 };

describe('kernel selection', () => {
  afterEach(() => {
    useKernels(null);
    registerKernelsCandidate(null);
  });

  it('selects WebAssembly SIMD by default where the runtime validates it (wasm-backend.ts), unless ANNET_BACKEND says otherwise', () => {
    const environment = process.env.ANNET_BACKEND;
    const expected =
      environment === 'js'
        ? 'js'
        : WebAssembly.validate(wasmModuleBytes('relaxed-simd'))
          ? 'wasm-relaxed-simd'
          : 'wasm-simd';
    expect(activeKernels().name).toBe(expected);
  });

  it('uses the TypeScript reference once the candidate is removed with registerKernelsCandidate(null)', () => {
    registerKernelsCandidate(null);
    expect(activeKernels()).toBe(jsKernels);
  });

  it('asks a registered candidate once, lazily, passing the reference as fallback', () => {
    let calls = 0;
    registerKernelsCandidate((reference) => {
      calls++;
      expect(reference).toBe(jsKernels);
      return fake;
    });
    expect(calls).toBe(0);
    expect(activeKernels()).toBe(fake);
    expect(activeKernels()).toBe(fake);
    expect(calls).toBe(1);
  });

  it('lets useKernels override the selection and restore the previous choice', () => {
    registerKernelsCandidate(() => fake);
    expect(useKernels(jsKernels)).toBeNull();
    expect(activeKernels()).toBe(jsKernels);
    expect(useKernels(null)).toBe(jsKernels);
    expect(activeKernels()).toBe(fake);
  });
});
