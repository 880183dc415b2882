import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { matmul } from '../ops/matmul.js';
import { createRng } from '../random.js';
import {
  startBrowserKernelThreads,
  type BrowserKernelThreadStart,
  type KernelWorker,
} from './browser-kernel-threads.js';
import { controlWords, kernelThreadLayout } from './kernel-threads.js';
import { setKernels } from './kernel-info.js';

/** A Node worker thread that runs the browser worker entry through the Web Worker shim, behind the KernelWorker interface. */
function nodeWebWorker(): KernelWorker {
  const entry = new URL('./browser-kernel-thread-worker.js', import.meta.url).href;
  const worker = new Worker(new URL('../testing/web-worker-shim.js', import.meta.url), { workerData: { entry } });
  worker.unref();
  return {
    postMessage: (message) => worker.postMessage(message),
    addEventListener: (type, listener) => {
      if (type === 'message') worker.on('message', (data) => listener({ data }));
      else worker.on('error', (error) => listener({ message: error.message }));
    },
    terminate: () => void worker.terminate(),
  };
}

function random(rows: number, columns: number, seed: number): Tensor<'float32'> {
  const rng = createRng(seed);
  return new Tensor(
    Float32Array.from({ length: rows * columns }, () => rng.normal(0, 1)),
    [rows, columns],
  );
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  setKernels('auto');
});

describe('browser kernel threads (Web Workers on the shared kernel memory)', () => {
  it('split large products between workers, bit-identical to one thread, by rows and by columns', async () => {
    setKernels('simd');
    // 192x256 · 256x160 and 64x256 · 256x320: 7.9M and 5.2M multiply-adds, above the 2^19 threshold, split by rows then by columns.
    const cases = [
      [random(192, 256, 1), random(256, 160, 2)],
      [random(64, 256, 3), random(256, 320, 4)],
    ];
    const alone = cases.map(([a, b]) => Array.from(matmul(a, b).data));
    let control: Int32Array | null = null;
    const spying = (): KernelWorker => {
      const worker = nodeWebWorker();
      return {
        ...worker,
        postMessage: (message) => {
          control = (message as BrowserKernelThreadStart).control;
          worker.postMessage(message);
        },
      };
    };
    const handle = await startBrowserKernelThreads({ threads: 3, createWorker: spying, canBlock: true });
    stop = handle.stop;
    expect(handle.threads).toBe(3);
    // Both helpers really computed slices: each reports the jobs it finished in its control block.
    // The calling thread runs the chunks a helper has not claimed in time, so on a loaded machine
    // (a helper not scheduled for a while) a round may pass without one: run rounds, each checked,
    // until both have finished a job, at most 400 (a few milliseconds each).
    const finished = (helper: number) => Atomics.load(control!, helper * controlWords + kernelThreadLayout.finished);
    for (let round = 0; round < 400; round++) {
      cases.forEach(([a, b], index) => expect(Array.from(matmul(a, b).data)).toEqual(alone[index]));
      if (round >= 4 && finished(0) > 0 && finished(1) > 0) break;
    }
    expect(finished(0)).toBeGreaterThan(0);
    expect(finished(1)).toBeGreaterThan(0);
  });

  it("refuses where the calling thread may not block (a page's main thread), and under the TypeScript kernels", async () => {
    setKernels('simd');
    await expect(
      startBrowserKernelThreads({ threads: 2, createWorker: nodeWebWorker, canBlock: false }),
    ).rejects.toThrow("startBrowserKernelThreads: this thread may not block in Atomics.wait (a page's main thread)");
    setKernels('typescript');
    await expect(
      startBrowserKernelThreads({ threads: 2, createWorker: nodeWebWorker, canBlock: true }),
    ).rejects.toThrow(
      'kernel threads need the WebAssembly kernels on shared memory: the active kernels are js, not WebAssembly',
    );
  });

  it('reports a worker that never answers, and terminates the ones started', async () => {
    setKernels('simd');
    const terminated: number[] = [];
    const silent = (index: number): KernelWorker => ({
      postMessage: () => {},
      addEventListener: () => {},
      terminate: () => void terminated.push(index),
    });
    await expect(
      startBrowserKernelThreads({ threads: 3, createWorker: silent, canBlock: true, startTimeoutMilliseconds: 20 }),
    ).rejects.toThrow('a kernel thread (Web Worker) failed to start: worker 0 did not answer within 20 ms');
    expect(terminated.sort()).toEqual([0, 1]);
  });
});
