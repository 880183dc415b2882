import { kernelInfo, setKernels, type KernelKind } from '@annet/tensor';
import type { KernelReport } from './protocol.js';

/**
 * Applies the kernel choice in this thread, before any model is built (`auto`: the fastest the
 * runtime has; otherwise forced, or an error naming why the runtime cannot run it), and reports
 * what runs and why.
 *
 * @example
 * const report = applyKernels('simd'); // { name: 'wasm-simd', memory: 'shared', forced: true, … }
 */
export function applyKernels(choice: KernelKind): KernelReport {
  setKernels(choice);
  return { ...kernelInfo(), choice, threads: 1 };
}
