// The entry module of a kernel worker thread (started by startKernelThreads in
// kernel-worker-threads.ts): instantiates the shared kernel module on the shared memory, says it
// is ready, then serves matmul jobs until told to stop. Plain JavaScript with JSDoc types, so
// Node runs it as it is from src/ (tests) and from dist/ (the published package).
import { parentPort, workerData } from 'node:worker_threads';
import { runHelperLoop } from '../kernels/kernel-thread-loop.js';

/** @import { KernelThreadWorkerData } from './kernel-worker-threads.js' */
/** @import { HelperKernels } from '../kernels/kernel-thread-loop.js' */

const { module, memory, control, index, layout } = /** @type {KernelThreadWorkerData} */ (workerData);
const kernels = /** @type {HelperKernels} */ (
  /** @type {unknown} */ (new WebAssembly.Instance(module, { env: { memory } }).exports)
);
parentPort?.postMessage('ready');
runHelperLoop(kernels, memory, control, index, layout);
