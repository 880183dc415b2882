// How far apart the two cores the kernel threads run on are: the round trip of one cache line
// between two threads. On the 2-vCPU development VM it was ~450 ns most of the time and ~85 ns
// for some minutes (the host moves its vCPUs), and 2-thread figures follow it: a step that splits
// its products hands data between the cores several times. Printed beside every `threads` run.
import { Worker } from 'node:worker_threads';

const rounds = 200_000;

// The other side: answers each odd number with the next even one.
const responder = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.buffer);
for (let round = 1; round <= workerData.rounds; round++) {
  while (Atomics.load(flag, 0) !== 2 * round - 1) {}
  Atomics.store(flag, 0, 2 * round);
}`;

/**
 * Nanoseconds per round trip of a value through a shared word between this thread and a worker
 * that spins on it (`rounds` round trips, after the worker has started).
 *
 * @example
 * const nanoseconds = await crossCoreRoundTrip(); // about 85 on cores that share a cache, 450 farther apart
 */
export async function crossCoreRoundTrip(): Promise<number> {
  const buffer = new SharedArrayBuffer(64);
  const flag = new Int32Array(buffer);
  const worker = new Worker(responder, { eval: true, workerData: { buffer, rounds } });
  try {
    // The first round waits for the worker to start; time the others.
    Atomics.store(flag, 0, 1);
    while (Atomics.load(flag, 0) !== 2) await new Promise((resolve) => setTimeout(resolve, 1));
    const start = performance.now();
    for (let round = 2; round <= rounds; round++) {
      Atomics.store(flag, 0, 2 * round - 1);
      while (Atomics.load(flag, 0) !== 2 * round) {
        // spin: the worker answers within a microsecond
      }
    }
    return ((performance.now() - start) * 1e6) / (rounds - 1);
  } finally {
    await worker.terminate();
  }
}
