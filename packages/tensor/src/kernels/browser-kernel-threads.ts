import { AnnetError } from '../errors.js';
import { activeKernels } from './kernel-selection.js';
import { controlWords, kernelThreadLayout, KernelThreads, type KernelThreadLayout } from './kernel-threads.js';
import type { WasmKernels } from './wasm-kernels.js';

/**
 * What a browser kernel thread is sent to start (`browser-kernel-thread-worker.js` reads it).
 *
 * @example
 * worker.postMessage({ module, memory, control, index: 0, layout: kernelThreadLayout } satisfies BrowserKernelThreadStart);
 */
export interface BrowserKernelThreadStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: Int32Array;
  readonly index: number;
  readonly layout: KernelThreadLayout;
}

/**
 * The part of a `Worker` the kernel threads use (a test can pass a stand-in, such as a Node
 * `worker_threads` Worker behind an adapter).
 *
 * @example
 * const worker: KernelWorker = new Worker(new URL('./browser-kernel-thread-worker.js', import.meta.url), { type: 'module' });
 */
export interface KernelWorker {
  postMessage(message: unknown): void;
  addEventListener(
    type: 'message' | 'error',
    listener: (event: { readonly data?: unknown; readonly message?: string }) => void,
  ): void;
  terminate(): void;
}

/**
 * Options of {@link startBrowserKernelThreads}.
 *
 * @example
 * await startBrowserKernelThreads({ threads: 4 });
 */
export interface BrowserKernelThreadsOptions {
  /** Threads sharing a large product, the calling one included; default `navigator.hardwareConcurrency` up to 4. */
  readonly threads?: number;
  /**
   * Starts helper `index`'s worker on `browser-kernel-thread-worker.js`; the default does
   * `new Worker(new URL('./browser-kernel-thread-worker.js', import.meta.url), { type: 'module' })`.
   * A bundler that does not follow that pattern inside a package can be handed its own worker,
   * e.g. Vite's `import KernelThread from '@annet/tensor/kernel-thread-worker?worker'`.
   */
  readonly createWorker?: (index: number) => KernelWorker;
  /** Milliseconds to wait for each worker to start; default 10 000. */
  readonly startTimeoutMilliseconds?: number;
  /** Whether this thread may block in `Atomics.wait`; default: probed (tests override it). */
  readonly canBlock?: boolean;
}

/**
 * Running browser kernel threads.
 *
 * @example
 * const handle = await startBrowserKernelThreads();
 * handle.threads; // 4
 * handle.stop();
 */
export interface BrowserKernelThreadsHandle {
  /** Threads sharing each large product, the calling one included. */
  readonly threads: number;
  /** Goes back to one thread and terminates the workers. */
  stop(): void;
}

const operation = 'startBrowserKernelThreads';

/**
 * True when this thread may block in `Atomics.wait`: in a Web Worker (and in Node), not on a
 * page's main thread, where browsers throw instead of letting the page freeze.
 *
 * @example
 * canBlockThisThread(); // false on a page's main thread, true in a worker
 */
export function canBlockThisThread(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  try {
    // The value differs (0, not 1), so this returns at once where waiting is allowed; the main thread throws first.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kernel threads in a browser: splits the WebAssembly backend's large products between this
 * thread and `threads - 1` Web Workers that share the kernel memory, as `startKernelThreads` of
 * `@annet/tensor/node` does with worker threads; results are bit-identical to one thread (each
 * output element is computed by one thread in the same order).
 *
 * The calling thread waits for its helpers inside each product with `Atomics.wait`, which a
 * page's main thread may not do, so this runs only where the thread can block: call it in the
 * Web Worker that trains (the page's main thread then never blocks, and stays free for the UI).
 * It needs shared memory: a cross-origin isolated page (COOP `same-origin` and COEP
 * `require-corp`), and the WebAssembly kernels. Each refusal is an AnnetError (`UNSUPPORTED`)
 * saying which condition failed; training then simply stays on one thread.
 *
 * @example
 * // in the training worker:
 * const threads = await startBrowserKernelThreads({ threads: 4 });
 * await model.fit(train, options);
 * threads.stop();
 */
export async function startBrowserKernelThreads(
  options: BrowserKernelThreadsOptions = {},
): Promise<BrowserKernelThreadsHandle> {
  const navigatorThreads = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  const threads = options.threads ?? Math.max(1, Math.min(4, navigatorThreads ?? 1));
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > 64)
    throw new AnnetError('INVALID_ARGUMENT', operation, `threads must be an integer from 1 to 64, got ${threads}`);
  const kernels = activeKernels();
  checkThreadable(kernels);
  if (!(options.canBlock ?? canBlockThisThread())) {
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      "this thread may not block in Atomics.wait (a page's main thread), and kernel threads make the calling thread wait for its helpers; train in a Web Worker and start the kernel threads there, so the page never blocks",
    );
  }
  stopCurrent();
  const helpers = threads - 1;
  if (helpers === 0) {
    kernels.useThreads(null);
    return { threads: 1, stop: () => {} };
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * controlWords * helpers));
  const createWorker = options.createWorker ?? defaultWorker;
  const workers: KernelWorker[] = [];
  try {
    await Promise.all(
      Array.from({ length: helpers }, (_, index) =>
        startHelper(
          createWorker,
          workers,
          { module: kernels.sharedModule!, memory: kernels.sharedMemory!, control, index, layout: kernelThreadLayout },
          options.startTimeoutMilliseconds ?? 10_000,
        ),
      ),
    );
  } catch (cause) {
    for (const worker of workers) worker.terminate();
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `a kernel thread (Web Worker) failed to start: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  const pool = new KernelThreads(control, helpers);
  kernels.useThreads(pool);
  // A worker that fails later must not be waited for: stop the pool and go back to one thread.
  const detach = (): void => {
    pool.stop();
    if (current?.pool !== pool) return;
    current = null;
    kernels.useThreads(null);
  };
  for (const worker of workers) worker.addEventListener('error', detach);
  const stop = (): void => {
    detach();
    for (const worker of workers) worker.terminate();
  };
  current = { pool, stop };
  return { threads, stop };
}

function checkThreadable(kernels: unknown): asserts kernels is WasmKernels {
  const wasm = kernels as Partial<WasmKernels>;
  if (typeof wasm.useThreads === 'function' && wasm.sharedMemory != null) return;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  const why =
    typeof wasm.useThreads !== 'function'
      ? `the active kernels are ${(kernels as { name: string }).name}, not WebAssembly (see kernelInfo())`
      : isolated === false
        ? 'the page is not cross-origin isolated, so there is no shared memory; serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp'
        : 'the kernel memory is not shared (no SharedArrayBuffer here)';
  throw new AnnetError(
    'UNSUPPORTED',
    operation,
    `kernel threads need the WebAssembly kernels on shared memory: ${why}`,
  );
}

function startHelper(
  createWorker: (index: number) => KernelWorker,
  workers: KernelWorker[],
  start: BrowserKernelThreadStart,
  timeout: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = createWorker(start.index);
    workers.push(worker);
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === null) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () => settle(new Error(`worker ${start.index} did not answer within ${timeout} ms`)),
      timeout,
    );
    worker.addEventListener('message', (event) =>
      settle(event.data === 'ready' ? null : new Error(`worker ${start.index} answered ${JSON.stringify(event.data)}`)),
    );
    worker.addEventListener('error', (event) =>
      settle(new Error(`worker ${start.index}: ${event.message ?? 'error'}`)),
    );
    worker.postMessage(start);
  });
}

function defaultWorker(): KernelWorker {
  const WorkerClass = (
    globalThis as { Worker?: new (url: URL, options: { type: 'module'; name: string }) => KernelWorker }
  ).Worker;
  if (WorkerClass === undefined) throw new Error('there is no Worker here; pass createWorker');
  return new WorkerClass(new URL('./browser-kernel-thread-worker.js', import.meta.url), {
    type: 'module',
    name: 'annet-kernel-thread',
  });
}

/** The threads started last, so that starting again stops them first. */
let current: { pool: KernelThreads; stop: () => void } | null = null;

function stopCurrent(): void {
  current?.stop();
}
