// A helper thread's side of the kernel-thread protocol (the calling side and the control-word
// layout are in kernel-threads.ts). Plain JavaScript, type-checked from its JSDoc: a worker
// starts this module as it is, from the TypeScript sources (under vitest) as from dist, with no
// compile step and no eval'd string. It imports nothing, so any runtime with SharedArrayBuffer
// and Atomics can run it in a thread; node/kernel-thread-worker.js does so on Node and
// browser-kernel-thread-worker.js in a Web Worker.

/** @import { KernelThreadLayout } from './kernel-threads.js' */

/**
 * The kernel module exports a helper needs: `matmulF32`, whose arguments are the job's words.
 *
 * @typedef {{ matmulF32: (...job: number[]) => void }} HelperKernels
 */

/** The job kinds of kernel-threads.ts (`jobKinds`). */
const matmulJob = 0;
const loadJob = 1;
const runJob = 2;
const matmulChunksJob = 3;
/** The chunk modes of kernel-threads.ts (`chunkModes`; columns is 0). */
const rowsMode = 1;
const batchMode = 2;

/**
 * Serves jobs on helper `index`'s control block until the calling thread posts a negative job
 * number: waits for a job (polling for `layout.idleSpinMilliseconds`, then sleeping on a futex),
 * claims it (unless the calling thread took it first), runs it, flags a job that threw, and
 * reports it finished. A matmul job calls `matmulF32` with
 * the job's words as its arguments (word i is `matmulJobFields[i]` of matmul-job.ts, which is
 * `matmulF32`'s parameter i); a load job compiles the module whose bytes the caller copied into
 * the shared memory and instantiates it on that memory, as module number `id`; a run job calls
 * one of a loaded module's function exports (numbered in `WebAssembly.Module.exports` order) with
 * the float64 arguments of the control block.
 *
 * @param {HelperKernels} kernels this thread's instance of the shared kernel module
 * @param {WebAssembly.Memory} memory the shared kernel memory, which loaded modules import as `env.memory`
 * @param {Int32Array} control the shared control words of every helper
 * @param {number} index this helper's number (its control block is `index * layout.controlWords`)
 * @param {KernelThreadLayout} layout where the words are (`kernelThreadLayout`)
 * @returns {void}
 *
 * @example
 * runHelperLoop(instance.exports, memory, control, 0, kernelThreadLayout); // returns when stopped
 */
export function runHelperLoop(kernels, memory, control, index, layout) {
  const base = index * layout.controlWords;
  const posted = base + layout.posted;
  const job = base + layout.job;
  const numbers = new Float64Array(
    control.buffer,
    control.byteOffset + 4 * (base + layout.arguments),
    layout.maxArguments,
  );
  /** @type {number[]} */
  const words = new Array(layout.jobWords).fill(0);
  /** One reused argument list per argument count, so a run allocates nothing. */
  const argumentLists = Array.from({ length: layout.maxArguments + 1 }, (_, count) => new Array(count).fill(0));
  /** @type {Function[][]} the function exports of each loaded module, by module id */
  const modules = [];
  const claimed = base + layout.claimed;
  let seen = 0;
  for (;;) {
    seen = waitForJob(control, posted, seen, layout);
    if (seen < 0) return;
    // Claim the job (see `claimed` in kernel-threads.ts); the calling thread may have taken it
    // already, and then runs it itself: skip it, and report nothing.
    const previous = seen === 1 ? 0x7ffffffe : seen - 1;
    if (Atomics.compareExchange(control, claimed, previous, seen) !== previous) continue;
    try {
      const kind = control[base + layout.kind];
      if (kind === matmulJob) {
        for (let word = 0; word < layout.jobWords; word++) words[word] = control[job + word];
        kernels.matmulF32(...words);
      } else if (kind === matmulChunksJob) {
        for (let word = 0; word < layout.jobWords; word++) words[word] = control[job + word];
        runChunks(kernels, control, base, words, layout);
      } else if (kind === loadJob) {
        modules[control[job]] = load(memory, control[job + 1], control[job + 2]);
      } else if (kind === runJob) {
        const list = argumentLists[control[job + 2]];
        for (let argument = 0; argument < list.length; argument++) list[argument] = numbers[argument];
        modules[control[job]][control[job + 1]].apply(undefined, list);
      } else throw new Error(`unknown job kind ${kind}`);
    } catch {
      Atomics.store(control, base + layout.failed, 1);
    }
    Atomics.store(control, base + layout.finished, seen);
    Atomics.notify(control, base + layout.finished);
  }
}

/**
 * Runs chunks of the product in `words` (matmul-job.ts's `matmulJobFields` order) until the
 * shared chunk counter passes the last one: each chunk is the job cut as `sliceMatmulJob` cuts it,
 * or a run of whole products of a batch.
 *
 * @param {HelperKernels} kernels
 * @param {Int32Array} control
 * @param {number} base this helper's control block
 * @param {number[]} words the whole product's job words, overwritten chunk by chunk
 * @param {KernelThreadLayout} layout
 * @returns {void}
 */
function runChunks(kernels, control, base, words, layout) {
  const mode = control[base + layout.chunkMode];
  const size = control[base + layout.chunkSize];
  const extent = control[base + layout.chunkExtent];
  // Word numbers of matmulJobFields: a 0, lda 1, transposeA 2, b 3, ldb 4, transposeB 5, c 6, ldc 7, m 8, n 9, bias 12.
  const a = words[0];
  const b = words[3];
  const c = words[6];
  const bias = words[12];
  for (;;) {
    const start = Atomics.add(control, layout.chunkCounter, 1) * size;
    if (start >= extent) return;
    const count = Math.min(size, extent - start);
    if (mode === batchMode) {
      const at = base + layout.batch;
      const inner = control[at];
      for (let product = start; product < start + count; product++) {
        const outer = Math.floor(product / inner);
        const index = product - outer * inner;
        words[0] = a + 4 * (index * control[at + 1] + outer * control[at + 2]);
        words[3] = b + 4 * (index * control[at + 3] + outer * control[at + 4]);
        words[6] = c + 4 * (index * control[at + 5] + outer * control[at + 6]);
        kernels.matmulF32(...words);
      }
      continue;
    }
    if (mode === rowsMode) {
      words[0] = a + 4 * start * (words[2] !== 0 ? 1 : words[1]);
      words[6] = c + 4 * start * words[7];
      words[8] = count;
    } else {
      words[3] = b + 4 * start * (words[5] !== 0 ? words[4] : 1);
      words[6] = c + 4 * start;
      words[9] = count;
      if (bias !== 0) words[12] = bias + 4 * start;
    }
    kernels.matmulF32(...words);
  }
}

/**
 * Waits until the job number at `posted` differs from `seen` and returns it: polls first, then
 * sleeps on a futex (see `idleSpinMilliseconds` in kernel-threads.ts for why and how long).
 *
 * @param {Int32Array} control
 * @param {number} posted
 * @param {number} seen
 * @param {KernelThreadLayout} layout
 * @returns {number}
 */
function waitForJob(control, posted, seen, layout) {
  let spins = 0;
  let sleepAt = 0;
  while (Atomics.load(control, posted) === seen) {
    if ((++spins & 1023) !== 0) continue;
    const now = performance.now();
    if (sleepAt === 0) sleepAt = now + layout.idleSpinMilliseconds;
    else if (now > sleepAt) Atomics.wait(control, posted, seen);
  }
  return Atomics.load(control, posted);
}

/**
 * Compiles the `length` bytes at `address` of `memory` and instantiates them on it; returns the
 * function exports in `WebAssembly.Module.exports` order (the numbering run jobs use).
 *
 * @param {WebAssembly.Memory} memory
 * @param {number} address
 * @param {number} length
 * @returns {Function[]}
 */
function load(memory, address, length) {
  // A copy: compiling reads an ordinary buffer, not the shared one.
  const module = new WebAssembly.Module(new Uint8Array(memory.buffer, address, length).slice());
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return WebAssembly.Module.exports(module)
    .filter((entry) => entry.kind === 'function')
    .map((entry) => /** @type {Function} */ (instance.exports[entry.name]));
}
