// Does browser kernel threading pay? Node stand-in: the browser worker entry
// (dist/kernels/browser-kernel-thread-worker.js) runs in worker threads through the Web Worker
// shim, with the real protocol. Measures float32 matmul GFLOP/s for Dense-sized products at 1,
// 2 (and more) threads. Run after `pnpm build`: node bench/browser-threads.mjs [maxThreads]
import { Worker } from 'node:worker_threads';
import { createRng, matmul, residentZeros, setKernels, startBrowserKernelThreads } from '../dist/index.js';

const maxThreads = Number(process.argv[2] ?? 2);
const entry = new URL('../dist/kernels/browser-kernel-thread-worker.js', import.meta.url).href;
const shim = new URL('../src/testing/web-worker-shim.js', import.meta.url);

function nodeWebWorker() {
  const worker = new Worker(shim, { workerData: { entry } });
  worker.unref();
  return {
    postMessage: (message) => worker.postMessage(message),
    addEventListener: (type, listener) =>
      type === 'message'
        ? worker.on('message', (data) => listener({ data }))
        : worker.on('error', (error) => listener({ message: error.message })),
    terminate: () => void worker.terminate(),
  };
}

/** Operands in the kernel memory, as a model's weights and activations are (read in place, not copied per product). */
function random(rows, columns, seed) {
  const rng = createRng(seed);
  const tensor = residentZeros([rows, columns]);
  for (let index = 0; index < tensor.data.length; index++) tensor.data[index] = rng.normal(0, 1);
  return tensor;
}

function gflops(a, b, seconds = 1) {
  const out = residentZeros([a.shape[0], b.shape[1]]);
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    matmul(a, b, { out });
    runs++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return (2 * a.shape[0] * a.shape[1] * b.shape[1] * runs) / elapsed / 1e9;
}

setKernels('simd');
const shapes = [
  [64, 784, 256],
  [128, 784, 256],
  [256, 512, 512],
];
const rows = [];
for (let threads = 1; threads <= maxThreads; threads++) {
  const handle =
    threads === 1 ? null : await startBrowserKernelThreads({ threads, createWorker: nodeWebWorker, canBlock: true });
  for (const [m, k, n] of shapes)
    rows.push({ threads, shape: `${m}x${k}x${n}`, gflops: gflops(random(m, k, 1), random(k, n, 2)).toFixed(1) });
  handle?.stop();
}
console.table(rows);
