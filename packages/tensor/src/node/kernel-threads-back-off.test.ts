import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { controlWords, kernelThreadLayout, KernelThreads } from '../kernels/kernel-threads.js';

describe('KernelThreads backing off', () => {
  it('works alone for a while after a helper took over 1 ms to finish (its core was taken), then shares again', async () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords));
    const threads = new KernelThreads(control, 1, 10_000);
    const { posted, finished } = kernelThreadLayout;
    // A stand-in helper: waits for job 1, stays busy for 5 ms (as a preempted one would be late), finishes it.
    const helper = new Worker(
      `const { workerData: control } = require('node:worker_threads');
       Atomics.wait(control, ${posted}, 0);
       const until = Date.now() + 5;
       while (Date.now() < until);
       Atomics.store(control, ${finished}, 1);
       Atomics.notify(control, ${finished});`,
      { eval: true, workerData: control },
    );
    try {
      expect(threads.isBackingOff).toBe(false);
      threads.postRun(0, 0, 0, []);
      threads.wait(0);
      expect(threads.isBackingOff).toBe(true);
      // The back-off lasts 50 ms; after that the work is shared again.
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(threads.isBackingOff).toBe(false);
    } finally {
      await helper.terminate();
    }
  });
});
