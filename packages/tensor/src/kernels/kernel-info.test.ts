import { afterEach, describe, expect, it, vi } from 'vitest';
import { matmul } from '../ops/matmul.js';
import { tensor } from '../create.js';
import { chooseKernels, resetKernelWarning } from './kernel-choice.js';
import { kernelInfo, setKernels } from './kernel-info.js';
import { activeKernels, useKernels } from './kernel-selection.js';
import { jsKernels } from './js-kernels.js';
import { wasmModuleBytes } from './wasm-module.js';

const relaxedValidates = WebAssembly.validate(wasmModuleBytes('relaxed-simd'));

afterEach(() => {
  setKernels('auto');
  resetKernelWarning();
});

describe('chooseKernels (the automatic choice, with its reason)', () => {
  it('falls back to TypeScript when WebAssembly is blocked (CSP), says why, and warns once', () => {
    const warnings: string[] = [];
    const blocked = () => {
      throw new WebAssembly.CompileError(
        "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script",
      );
    };
    const first = chooseKernels(jsKernels, {
      choice: 'auto',
      create: blocked,
      warn: (message) => warnings.push(message),
    });
    expect(first.kernels).toBe(jsKernels);
    expect(first.record).toMatchObject({ name: 'js', webAssemblyBlocked: true, forced: false });
    expect(first.record.reason).toMatch(
      /^WebAssembly is blocked here: the (relaxed-)?simd kernel module validates but does not compile \(CompileError: WebAssembly.Module\(\): Refused/,
    );
    expect(first.record.reason).toContain("a Content-Security-Policy needs 'wasm-unsafe-eval' in script-src");
    chooseKernels(jsKernels, { choice: 'auto', create: blocked, warn: (message) => warnings.push(message) });
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(
      /^annet: WebAssembly is blocked here.*The TypeScript kernels run instead, about 3-4x slower; kernelInfo\(\) from @annet\/tensor reports this\.$/,
    );
  });

  it('reports a runtime without SIMD, and an ANNET_BACKEND=js choice without warning', () => {
    const warn = vi.fn();
    expect(chooseKernels(jsKernels, { choice: 'auto', validate: () => false, warn }).record.reason).toBe(
      'this runtime does not validate WebAssembly SIMD modules (WebAssembly SIMD is missing or disabled)',
    );
    resetKernelWarning();
    expect(chooseKernels(jsKernels, { choice: 'js', warn }).record).toMatchObject({
      name: 'js',
      forced: true,
      reason: 'ANNET_BACKEND=js forces the TypeScript kernels',
    });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('names the detected variant when WebAssembly works', () => {
    const { record } = chooseKernels(jsKernels, { choice: 'auto' });
    expect(record).toEqual({
      name: relaxedValidates ? 'wasm-relaxed-simd' : 'wasm-simd',
      reason: `WebAssembly ${relaxedValidates ? 'relaxed SIMD' : 'SIMD'} validates and instantiates here`,
      webAssemblyBlocked: false,
      forced: false,
    });
  });
});

describe('kernelInfo and setKernels', () => {
  it('reports the automatic kernels as plain data: name, reason, shared memory', () => {
    const info = kernelInfo();
    expect(structuredClone(info)).toEqual(info);
    if (process.env.ANNET_BACKEND === 'js') return;
    expect(info).toMatchObject({
      kind: relaxedValidates ? 'relaxed-simd' : 'simd',
      forced: false,
      memory: 'shared',
      crossOriginIsolated: null,
      webAssemblyBlocked: false,
    });
    expect(info.memoryReason).toMatch(/^SharedArrayBuffer is available/);
  });

  it("forces 'typescript' and 'simd' (same products as the kernels themselves), and 'auto' goes back", () => {
    const a = tensor(
      [
        [1.5, 2],
        [3, -4],
      ],
      { dtype: 'float32' },
    );
    expect(setKernels('typescript')).toMatchObject({
      name: 'js',
      kind: 'typescript',
      forced: true,
      memory: 'typescript',
      reason: 'setKernels("typescript") forces them',
    });
    expect(activeKernels()).toBe(jsKernels);
    const byTypescript = Array.from(matmul(a, a).data);
    expect(setKernels('simd')).toMatchObject({ name: 'wasm-simd', kind: 'simd', forced: true, memory: 'shared' });
    expect(Array.from(matmul(a, a).data)).toEqual(byTypescript);
    const simd = activeKernels();
    setKernels('simd');
    expect(activeKernels()).toBe(simd); // built once
    expect(setKernels('auto').forced).toBe(process.env.ANNET_BACKEND === 'js');
  });

  it('refuses kernels the runtime cannot run and keeps the ones before', () => {
    setKernels('typescript');
    if (!relaxedValidates)
      expect(() => setKernels('relaxed-simd')).toThrow(
        'setKernels: this runtime does not validate WebAssembly relaxed SIMD modules (Node 20 needs --experimental-wasm-relaxed-simd',
      );
    expect(() => setKernels('fast' as never)).toThrow(
      "setKernels: expected 'typescript', 'simd', 'relaxed-simd' or 'auto', got \"fast\"",
    );
    expect(activeKernels()).toBe(jsKernels);
    useKernels(null);
  });
});
