import { AnnetError } from '../errors.js';
import { matmulJobWords, writeMatmulJob, type MatmulJob } from './matmul-job.js';

/**
 * Helper threads for the WebAssembly matmul: each helper runs its own instance of the shared
 * kernel module on the same shared memory, and takes a slice of a product's rows or columns.
 * This file holds the calling side of the protocol and its layout, which is plain JavaScript
 * (SharedArrayBuffer and Atomics) and safe in any runtime; the helper's side is
 * `kernel-thread-loop.js`, and starting the threads is runtime-specific
 * (`node/kernel-worker-threads.ts` uses `worker_threads`).
 *
 * One control block per helper in a shared Int32Array, {@link kernelThreadLayout} words each:
 * the number of the last job posted (the calling thread increments it, then notifies; negative
 * means "stop"), the job ({@link MatmulJob} in `matmulJobFields` order), the number of the last
 * job finished (the helper stores it, then notifies), and a failure flag (1 when the helper's job
 * threw; the calling thread then throws too). Atomics.store/notify/wait order the plain memory
 * writes around them, so operands copied into the scratch region before posting are seen by the
 * helper, and its results by the caller.
 */

/**
 * Where the words of a helper's control block are, as offsets from the block's start.
 *
 * @example
 * const layout: KernelThreadLayout = kernelThreadLayout;
 * control[index * layout.controlWords + layout.posted]; // the last job posted to helper `index`
 */
export interface KernelThreadLayout {
  /** Int32 words per helper (the block is padded so helpers' words do not share a cache line). */
  readonly controlWords: number;
  /** The number of the last job posted. */
  readonly posted: number;
  /** The first word of the job. */
  readonly job: number;
  /** Words of the job (`matmulJobWords`). */
  readonly jobWords: number;
  /** The number of the last job finished. */
  readonly finished: number;
  /** 1 when the last job threw. */
  readonly failed: number;
  /**
   * How long an idle helper keeps polling for the next job before it sleeps on a futex. A training
   * step's products are separated by other work (the optimizer's update takes about a millisecond
   * for a 100k-parameter MLP); waking a sleeping thread costs tens of microseconds per product,
   * which ate most of the gain. Polling keeps the helper's core busy while it waits, as OpenMP's
   * default spin-wait policy does; after this long without work it sleeps.
   */
  readonly idleSpinMilliseconds: number;
}

/**
 * The control-block layout both sides use: the calling thread here, the helpers through the
 * copy they are handed when they start (`kernel-thread-loop.js`).
 *
 * @example
 * new Int32Array(new SharedArrayBuffer(4 * kernelThreadLayout.controlWords * helpers));
 */
export const kernelThreadLayout: KernelThreadLayout = {
  controlWords: 32,
  posted: 0,
  job: 1,
  jobWords: matmulJobWords,
  finished: 1 + matmulJobWords,
  failed: 2 + matmulJobWords,
  idleSpinMilliseconds: 3,
};

/**
 * Int32 words of control block per helper.
 *
 * @example
 * new Int32Array(new SharedArrayBuffer(4 * controlWords * helpers));
 */
export const controlWords = kernelThreadLayout.controlWords;
const { posted, job: firstJobWord, finished, failed } = kernelThreadLayout;

/** Spins (plain loads) of the calling thread before it sleeps waiting for a helper: a product's slices end close together. */
const spinsBeforeSleeping = 20_000;
/** Longest a caller waits for a helper before concluding it died (by default). */
const helperTimeoutMilliseconds = 60_000;
/** The operation kernel-thread failures are reported under: they happen inside a product. */
const operation = 'matmul';

/**
 * The calling thread's side of the protocol: posts a job to a helper and waits for it.
 *
 * @example
 * const threads = new KernelThreads(new Int32Array(new SharedArrayBuffer(4 * controlWords * 1)), 1);
 * threads.post(0, job); // a MatmulJob
 * threads.wait(0);
 */
export class KernelThreads {
  /** Helper threads besides the caller. */
  readonly helpers: number;
  private readonly control: Int32Array;
  /** The number of the last job posted to each helper. */
  private readonly jobNumbers: number[];
  private stopped = false;
  private readonly timeoutMilliseconds: number;

  /**
   * @param control the shared control words ({@link controlWords} per helper), also handed to the helpers
   * @param helpers how many helpers run `runHelperLoop` (`kernel-thread-loop.js`) on it
   * @param timeoutMilliseconds how long {@link KernelThreads.wait} waits for a helper before taking it for dead
   */
  constructor(control: Int32Array, helpers: number, timeoutMilliseconds = helperTimeoutMilliseconds) {
    this.control = control;
    this.helpers = helpers;
    this.timeoutMilliseconds = timeoutMilliseconds;
    this.jobNumbers = new Array<number>(helpers).fill(0);
  }

  /** Whether {@link KernelThreads.stop} was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Posts `job` to helper `index`; returns at once. Only after {@link KernelThreads.wait}
   * returned or threw for the previous job: the helper reads the job's words while it runs.
   */
  post(index: number, job: MatmulJob): void {
    const base = index * controlWords;
    writeMatmulJob(job, this.control, base + firstJobWord);
    this.control[base + failed] = 0;
    // Job numbers stay positive int32s (a negative one means "stop"): wrap before 2^31.
    const number = this.jobNumbers[index] >= 0x7ffffffe ? 1 : this.jobNumbers[index] + 1;
    this.jobNumbers[index] = number;
    Atomics.store(this.control, base + posted, number);
    Atomics.notify(this.control, base + posted);
  }

  /**
   * Waits until helper `index` finished the job last posted to it; throws if the job threw. A
   * helper that does not finish within a minute is taken for dead: every helper is stopped (so
   * later products run on the calling thread alone, {@link KernelThreads.isStopped}) and this throws.
   */
  wait(index: number): void {
    const base = index * controlWords;
    const word = base + finished;
    let spins = 0;
    const deadline = Date.now() + this.timeoutMilliseconds;
    for (;;) {
      const done = Atomics.load(this.control, word);
      if (done === this.jobNumbers[index]) break;
      if (++spins > spinsBeforeSleeping) {
        Atomics.wait(this.control, word, done, 100);
        if (Date.now() > deadline) {
          this.stop();
          throw new AnnetError(
            'INVALID_STATE',
            operation,
            `kernel thread ${index} did not finish a matmul within ${this.timeoutMilliseconds} ms; kernel threads are stopped, products run on one thread from now on`,
          );
        }
      }
    }
    if (Atomics.load(this.control, base + failed) !== 0)
      throw new AnnetError('INVALID_STATE', operation, `kernel thread ${index} failed while running a matmul slice`);
  }

  /** Tells every helper to leave its loop (the threads then end); later products run on the calling thread. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (let index = 0; index < this.helpers; index++) {
      Atomics.store(this.control, index * controlWords + posted, -1);
      Atomics.notify(this.control, index * controlWords + posted);
    }
  }
}
