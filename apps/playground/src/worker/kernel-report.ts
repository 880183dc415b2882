import {
  kernelInfo,
  setKernels,
  startBrowserKernelThreads,
  type BrowserKernelThreadsHandle,
  type KernelKind,
} from '@annet/tensor';
import KernelThreadWorker from '@annet/tensor/kernel-thread-worker?worker';
import type { KernelReport } from './protocol.js';

/** The kernel threads started last, stopped before new ones start. */
let running: BrowserKernelThreadsHandle | null = null;

/**
 * Applies the kernel choice in this worker, before any model is built (`auto`: the fastest the
 * runtime has; otherwise forced, or an error naming why the runtime cannot run it), starts
 * `threads - 1` kernel threads when more than one is asked for and the memory is shared, and
 * reports what runs and why. Threads need cross-origin isolation; without it the run goes on with
 * one thread and the report says why.
 *
 * @example
 * const report = await applyKernels('simd', 2); // { name: 'wasm-simd', memory: 'shared', threads: 2, … }
 */
export async function applyKernels(choice: KernelKind, threads: number): Promise<KernelReport> {
  setKernels(choice);
  running?.stop();
  running = null;
  let threadsReason = 'one thread was asked for';
  if (threads > 1) {
    try {
      // Vite bundles the library's kernel-thread entry as a worker of its own (the `?worker` import).
      running = await startBrowserKernelThreads({
        threads,
        createWorker: () => new KernelThreadWorker() as unknown as Worker,
      });
      threadsReason = `${running.threads - 1} Web Workers share each large product with this one, on the shared kernel memory`;
    } catch (error) {
      threadsReason = error instanceof Error ? error.message : String(error);
    }
  }
  return { ...kernelInfo(), choice, threads: running?.threads ?? 1, threadsReason };
}
