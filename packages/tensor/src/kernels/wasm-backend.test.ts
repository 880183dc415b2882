import { afterEach, describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import type { Kernels } from './kernels.js';
import { backendChoiceFromEnvironment, selectKernels } from './wasm-backend.js';
import { detectWasmVariant, wasmModuleBytes } from './wasm-module.js';

const reference: Kernels = {
  name: 'js',
  matmulFloat32: () => {
    throw new Error('not used');
  },
  matmulFloat64: () => {
    throw new Error('not used');
  },
};

/** What this runtime really supports: Node 20 validates plain SIMD but not relaxed SIMD without a flag. */
const runtimeHasRelaxed = WebAssembly.validate(wasmModuleBytes('relaxed-simd'));
const noSimd = () => false;
const onlyPlainSimd = (bytes: Uint8Array) => bytes === wasmModuleBytes('simd');

const saved = process.env.ANNET_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.ANNET_BACKEND;
  else process.env.ANNET_BACKEND = saved;
});

describe('detectWasmVariant', () => {
  it('prefers relaxed SIMD when the relaxed module validates', () =>
    expect(detectWasmVariant(() => true)).toBe('relaxed-simd'));
  it('takes plain SIMD when only the SIMD module validates', () =>
    expect(detectWasmVariant(onlyPlainSimd)).toBe('simd'));
  it('reports no WebAssembly SIMD when neither validates', () => expect(detectWasmVariant(noSimd)).toBeNull());
  it('matches the real runtime by default', () =>
    expect(detectWasmVariant()).toBe(runtimeHasRelaxed ? 'relaxed-simd' : 'simd'));
});

describe('selectKernels', () => {
  it('picks the fastest variant the runtime runs when nothing is forced', () => {
    delete process.env.ANNET_BACKEND;
    expect(selectKernels(reference).name).toBe(runtimeHasRelaxed ? 'wasm-relaxed-simd' : 'wasm-simd');
  });

  it('picks plain SIMD when relaxed SIMD does not validate', () => {
    expect(selectKernels(reference, { choice: 'auto', validate: onlyPlainSimd }).name).toBe('wasm-simd');
  });

  it('falls back to the TypeScript kernels when WebAssembly SIMD is missing', () => {
    expect(selectKernels(reference, { choice: 'auto', validate: noSimd })).toBe(reference);
  });

  it('falls back to the TypeScript kernels when a validated module fails to instantiate', () => {
    // Claim relaxed SIMD validates: on a runtime without it, instantiation throws and auto falls back.
    const kernels = selectKernels(reference, { choice: 'auto', validate: () => true });
    expect(kernels.name).toBe(runtimeHasRelaxed ? 'wasm-relaxed-simd' : 'js');
  });

  it('obeys ANNET_BACKEND=js even where WebAssembly SIMD runs', () => {
    process.env.ANNET_BACKEND = 'js';
    expect(selectKernels(reference)).toBe(reference);
  });

  it('obeys ANNET_BACKEND=wasm, and throws UNSUPPORTED when SIMD is missing instead of silently running JS', () => {
    process.env.ANNET_BACKEND = 'wasm';
    expect(selectKernels(reference).name).toMatch(/^wasm-/);
    const attempt = () => selectKernels(reference, { validate: noSimd });
    expect(attempt).toThrow(AnnetError);
    expect(attempt).toThrow(
      'ANNET_BACKEND: wasm was forced, but this runtime does not validate WebAssembly SIMD modules; use ANNET_BACKEND=js or leave it unset to fall back automatically',
    );
  });

  it('lets an explicit choice override the environment', () => {
    process.env.ANNET_BACKEND = 'wasm';
    expect(selectKernels(reference, { choice: 'js' })).toBe(reference);
  });
});

describe('backendChoiceFromEnvironment', () => {
  it('reads js, wasm and auto case-insensitively, and treats unset or empty as auto', () => {
    const read = (value: string | undefined) => {
      if (value === undefined) delete process.env.ANNET_BACKEND;
      else process.env.ANNET_BACKEND = value;
      return backendChoiceFromEnvironment();
    };
    expect([read('js'), read('WASM'), read(' auto '), read(''), read(undefined)]).toEqual([
      'js',
      'wasm',
      'auto',
      'auto',
      'auto',
    ]);
  });

  it('rejects an unknown backend with a message naming the choices', () => {
    process.env.ANNET_BACKEND = 'gpu';
    expect(() => backendChoiceFromEnvironment()).toThrow(
      'ANNET_BACKEND: unknown backend "gpu"; expected "js", "wasm" or "auto" (or leave it unset)',
    );
  });

  it('answers auto where there is no process global (browsers)', () => {
    const processGlobal = globalThis.process;
    process.env.ANNET_BACKEND = 'js';
    try {
      Reflect.deleteProperty(globalThis, 'process');
      expect(backendChoiceFromEnvironment()).toBe('auto');
    } finally {
      globalThis.process = processGlobal;
    }
  });
});
