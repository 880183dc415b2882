// The entry module of a kernel thread in a browser (a Web Worker started by
// startBrowserKernelThreads in browser-kernel-threads.ts): waits for one message with the shared
// kernel module, memory and control words, instantiates the module on that memory, says it is
// ready, then serves matmul jobs until told to stop (Atomics.wait is allowed in workers).
// Plain JavaScript with JSDoc types, so bundlers and browsers load it as it is.
import { runHelperLoop } from './kernel-thread-loop.js';

/** @import { BrowserKernelThreadStart } from './browser-kernel-threads.js' */
/** @import { HelperKernels } from './kernel-thread-loop.js' */

/** @type {{ addEventListener?: (type: 'message', listener: (event: MessageEvent) => void, options?: { once: boolean }) => void; postMessage(message: unknown): void; close(): void }} */
const scope = /** @type {any} */ (globalThis);

// Imported outside a worker (a tool that loads every export), it does nothing.
if (typeof scope.addEventListener === 'function')
  scope.addEventListener(
    'message',
    (event) => {
      const { module, memory, control, index, layout } = /** @type {BrowserKernelThreadStart} */ (event.data);
      const kernels = /** @type {HelperKernels} */ (
        /** @type {unknown} */ (new WebAssembly.Instance(module, { env: { memory } }).exports)
      );
      scope.postMessage('ready');
      runHelperLoop(kernels, memory, control, index, layout);
      scope.close();
    },
    { once: true },
  );
