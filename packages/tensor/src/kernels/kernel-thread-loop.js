// A helper thread's side of the kernel-thread protocol (the calling side and the control-word
// layout are in kernel-threads.ts). Plain JavaScript, type-checked from its JSDoc: a worker
// starts this module as it is, from the TypeScript sources (under vitest) as from dist, with no
// compile step and no eval'd string. It imports nothing, so any runtime with SharedArrayBuffer
// and Atomics can run it in a thread; node/kernel-thread-worker.js does so on Node.

/** @import { KernelThreadLayout } from './kernel-threads.js' */

/**
 * The kernel module exports a helper needs: `matmulF32`, whose arguments are the job's words.
 *
 * @typedef {{ matmulF32: (...job: number[]) => void }} HelperKernels
 */

/**
 * Serves jobs on helper `index`'s control block until the calling thread posts a negative job
 * number: waits for a job (polling for `layout.idleSpinMilliseconds`, then sleeping on a futex),
 * runs `matmulF32` with the job's words as its arguments (word i is `matmulJobFields[i]` of
 * matmul-job.ts, which is `matmulF32`'s parameter i), flags a job that threw, and reports it
 * finished.
 *
 * @param {HelperKernels} kernels this thread's instance of the shared kernel module
 * @param {Int32Array} control the shared control words of every helper
 * @param {number} index this helper's number (its control block is `index * layout.controlWords`)
 * @param {KernelThreadLayout} layout where the words are (`kernelThreadLayout`)
 * @returns {void}
 *
 * @example
 * runHelperLoop(instance.exports, control, 0, kernelThreadLayout); // returns when stopped
 */
export function runHelperLoop(kernels, control, index, layout) {
  const base = index * layout.controlWords;
  const posted = base + layout.posted;
  const job = base + layout.job;
  /** @type {number[]} */
  const words = new Array(layout.jobWords).fill(0);
  let seen = 0;
  for (;;) {
    let spins = 0;
    let sleepAt = 0;
    while (Atomics.load(control, posted) === seen) {
      if ((++spins & 1023) !== 0) continue;
      const now = performance.now();
      if (sleepAt === 0) sleepAt = now + layout.idleSpinMilliseconds;
      else if (now > sleepAt) Atomics.wait(control, posted, seen);
    }
    seen = Atomics.load(control, posted);
    if (seen < 0) return;
    for (let word = 0; word < layout.jobWords; word++) words[word] = control[job + word];
    try {
      kernels.matmulF32(...words);
    } catch {
      Atomics.store(control, base + layout.failed, 1);
    }
    Atomics.store(control, base + layout.finished, seen);
    Atomics.notify(control, base + layout.finished);
  }
}
