import { activeKernels, jsKernels, useKernels } from '@annet/tensor';
import type { KernelChoice, KernelReport } from './protocol.js';

/**
 * Applies the kernel choice in this thread (before any training) and reports what runs and why.
 *
 * @example
 * const report = chooseKernels('auto'); // { name: 'wasm-relaxed-simd', sharedMemory: true, … }
 */
export function chooseKernels(choice: KernelChoice): KernelReport {
  if (choice === 'js') useKernels(jsKernels);
  const kernels = activeKernels();
  if (choice !== 'auto' && choice !== kernels.name) {
    throw new Error(`the ${choice} kernels were asked for, but this browser runs ${kernels.name}; choose auto or ${kernels.name}`);
  }
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const sharedMemory = (kernels as { sharedMemory?: unknown }).sharedMemory != null;
  return { name: kernels.name, sharedMemory, crossOriginIsolated: isolated, choice, reason: reasonFor(kernels.name, choice, isolated, sharedMemory), threads: 1 };
}

function reasonFor(name: string, choice: KernelChoice, isolated: boolean, shared: boolean): string {
  const kernels =
    choice !== 'auto'
      ? `${name} was forced`
      : name === 'wasm-relaxed-simd'
        ? 'this browser validates WebAssembly relaxed SIMD (fused multiply-add), the fastest kernels'
        : name === 'wasm-simd'
          ? 'this browser validates WebAssembly SIMD but not relaxed SIMD'
          : 'WebAssembly SIMD is unavailable or blocked here, so the TypeScript kernels run';
  const memory = name === 'js' ? 'tensors are plain typed arrays' : shared ? 'tensors live in shared WebAssembly memory (no copy per product)' : isolated ? 'shared memory was refused, so operands are copied into WebAssembly memory per product' : 'the page is not cross-origin isolated (no COOP/COEP headers), so there is no SharedArrayBuffer and operands are copied into WebAssembly memory per product';
  return `${kernels}; ${memory}.`;
}
