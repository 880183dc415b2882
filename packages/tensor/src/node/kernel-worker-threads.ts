import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AnnetError } from '../errors.js';
import { activeKernels } from '../kernels/kernel-selection.js';
import { controlWords, kernelThreadLayout, KernelThreads, type KernelThreadLayout } from '../kernels/kernel-threads.js';
import type { WasmKernels } from '../kernels/wasm-kernels.js';

/**
 * Options of {@link startKernelThreads}.
 *
 * @example
 * const options: KernelThreadsOptions = { threads: 2 };
 */
export interface KernelThreadsOptions {
  /**
   * Threads that share a large matmul, the calling one included (as `torch.set_num_threads`);
   * default: `os.availableParallelism()`. 1 means no helper threads.
   */
  readonly threads?: number;
}

/**
 * Running kernel threads: how many, and how to stop them.
 *
 * @example
 * const handle = await startKernelThreads({ threads: 2 });
 * handle.threads; // 2
 * await handle.stop();
 */
export interface KernelThreadsHandle {
  /** Threads sharing each large product, the calling one included. */
  readonly threads: number;
  /** Goes back to one thread and ends the helper threads. */
  stop(): Promise<void>;
}

const operation = 'startKernelThreads';

/**
 * What a kernel worker thread is started with (`kernel-thread-worker.js` reads it).
 *
 * @example
 * const data: KernelThreadWorkerData = { module, memory, control, index: 0, layout: kernelThreadLayout };
 */
export interface KernelThreadWorkerData {
  /** The compiled shared-memory kernel module, instantiated again in the worker. */
  readonly module: WebAssembly.Module;
  /** The shared kernel memory every instance runs on. */
  readonly memory: WebAssembly.Memory;
  /** The shared control words of every helper. */
  readonly control: Int32Array;
  /** This helper's number. */
  readonly index: number;
  /** Where the words of a control block are. */
  readonly layout: KernelThreadLayout;
}

/**
 * The worker's entry module, beside this file in src/ and in dist/ alike (a JavaScript file, so
 * Node starts it from the TypeScript sources too).
 */
const workerEntry = new URL('./kernel-thread-worker.js', import.meta.url);

function isThreadable(kernels: unknown): kernels is WasmKernels {
  return (
    typeof kernels === 'object' &&
    kernels !== null &&
    'useThreads' in kernels &&
    (kernels as WasmKernels).sharedMemory !== null
  );
}

/**
 * Splits the WebAssembly backend's large matrix products (at least 2^19 multiply-adds, such as
 * a Dense layer's at batch 64) between the calling thread and `threads - 1` worker threads that
 * share its memory. Results are bit-identical to one thread: each output element is computed
 * by one thread, in the same order. Everything else (other ops, optimizers) stays on the
 * calling thread. The workers are `unref`ed, so they never keep a process alive; `stop()` ends
 * them. Starting again replaces the previous threads.
 *
 * Needs the WebAssembly backend with shared memory (the default on Node); throws an AnnetError
 * (`UNSUPPORTED`) under the TypeScript kernels (`ANNET_BACKEND=js`).
 *
 * @example
 * import { startKernelThreads } from '@annet/tensor/node';
 * const threads = await startKernelThreads({ threads: 2 });
 * await model.fit(data, options); // matmuls use both cores
 * await threads.stop();
 */
export async function startKernelThreads(options: KernelThreadsOptions = {}): Promise<KernelThreadsHandle> {
  const threads = options.threads ?? os.availableParallelism();
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 64) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `threads must be an integer from 1 to 64, got ${threads}`);
  }
  const kernels = activeKernels();
  if (!isThreadable(kernels)) {
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `kernel threads need the WebAssembly backend with shared memory; the active kernels are ${kernels.name} (unset ANNET_BACKEND=js)`,
    );
  }
  await stopCurrent();
  const helpers = threads - 1;
  if (helpers === 0) {
    kernels.useThreads(null);
    return { threads: 1, stop: async () => {} };
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * controlWords * helpers));
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: helpers },
        (_, index) =>
          new Promise<void>((resolve, reject) => {
            const workerData: KernelThreadWorkerData = {
              module: kernels.sharedModule!,
              memory: kernels.sharedMemory!,
              control,
              index,
              layout: kernelThreadLayout,
            };
            const worker = new Worker(workerEntry, { workerData });
            workers.push(worker);
            // Referenced until ready (an unreferenced worker would let the process exit before answering), then unreferenced.
            worker.once('message', () => {
              worker.unref();
              resolve();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => reject(new Error(`exited with code ${code} before it was ready`)));
          }),
      ),
    );
  } catch (cause) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw new AnnetError('UNSUPPORTED', operation, `a kernel worker thread failed to start: ${String(cause)}`, {
      cause,
    });
  }
  const pool = new KernelThreads(control, helpers);
  kernels.useThreads(pool);
  // Stops the pool and, unless a later pool replaced it, goes back to one thread. Runs when a
  // helper dies later (out of memory, terminated from outside: products must not wait for it; a
  // product already waiting notices by its timeout) and from stop(). Idempotent.
  const detach = (): void => {
    pool.stop();
    if (current?.pool !== pool) return;
    current = null;
    kernels.useThreads(null);
  };
  for (const worker of workers) {
    worker.on('exit', detach);
    worker.on('error', detach);
  }
  // Terminates the workers even when the pool already stopped itself (a helper that timed out may still run).
  const stop = async (): Promise<void> => {
    detach();
    await Promise.all(workers.map((worker) => worker.terminate()));
  };
  current = { pool, stop };
  return { threads, stop };
}

/** The threads started last, so that starting again stops them first. */
let current: { pool: KernelThreads; stop: () => Promise<void> } | null = null;

async function stopCurrent(): Promise<void> {
  if (current !== null) await current.stop();
}
