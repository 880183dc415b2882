import { AnnetError } from '../errors.js';
import { matmulJobWords, writeMatmulJob, type MatmulJob } from './matmul-job.js';

/**
 * Helper threads for the WebAssembly kernels: each helper runs its own instance of the shared
 * kernel module on the same shared memory, takes a slice of a product's rows or columns, and
 * runs exports of further modules registered on that memory (`parallel-kernels.ts`, which an
 * optimizer reaches through `ParameterMemory.parallel`). This file holds the calling side of the
 * protocol and its layout, which is plain JavaScript (SharedArrayBuffer and Atomics) and safe in
 * any runtime; the helper's side is `kernel-thread-loop.js`, and starting the threads is
 * runtime-specific (`node/kernel-worker-threads.ts` uses `worker_threads`,
 * `browser-kernel-threads.ts` Web Workers).
 *
 * One control block per helper in a shared Int32Array, {@link kernelThreadLayout} words each:
 * the number of the last job posted (the calling thread increments it, then notifies; negative
 * means "stop"), the job's kind ({@link jobKinds}), its words (a {@link MatmulJob} in
 * `matmulJobFields` order; for a module to load: id, address, length; for an export to run:
 * module id, export index, argument count, with the arguments as float64s further on), the
 * number of the last job finished (the helper stores it, then notifies), and a failure flag (1
 * when the helper's job threw; the calling thread then throws too). Atomics.store/notify/wait
 * order the plain memory writes around them, so operands copied into the scratch region before
 * posting are seen by the helper, and its results by the caller.
 */

/**
 * The kinds of job a helper runs, in the control block's `kind` word.
 *
 * @example
 * control[base + kernelThreadLayout.kind] = jobKinds.run;
 */
export const jobKinds = {
  /** A slice of a product: `matmulF32` with the job's words. */
  matmul: 0,
  /** Compile and instantiate a module from bytes in the shared memory: words module id, address, length. */
  load: 1,
  /** Call an export of a loaded module: words module id, export index, argument count; arguments as float64s. */
  run: 2,
  /**
   * Chunks of a product, claimed one at a time from a counter shared with the caller and the other
   * helpers (see `chunkCounter`): the job's words are the whole product (with this helper's
   * packing scratch), or the first of a batch of products; `chunkMode`, `chunkSize` and
   * `chunkExtent` say how it is cut.
   */
  matmulChunks: 3,
} as const;

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
  /** The job's kind ({@link jobKinds}). */
  readonly kind: number;
  /** The first word of the job. */
  readonly job: number;
  /** Words of the job (`matmulJobWords`, the longest kind). */
  readonly jobWords: number;
  /** The first word of a run job's arguments, float64s (two words each, 8-byte aligned). */
  readonly arguments: number;
  /** Most arguments a run job takes. */
  readonly maxArguments: number;
  /**
   * The number of the last job claimed, by the helper (to run it) or by the calling thread (to
   * run it itself, when the helper has not started it by the time the caller's own part is done):
   * whoever moves it from the previous job's number to this job's with a compare-exchange runs the job.
   */
  readonly claimed: number;
  /** The number of the last job finished. */
  readonly finished: number;
  /** 1 when the last job threw. */
  readonly failed: number;
  /** Of a chunked job ({@link chunkModes}): how it is cut. */
  readonly chunkMode: number;
  /** Of a chunked job: rows (or columns, a multiple of the register tile) or whole products per chunk. */
  readonly chunkSize: number;
  /** Of a chunked job: its rows, columns or products. */
  readonly chunkExtent: number;
  /**
   * Of a batch of products (in the words of a run job's arguments, which a chunked job does not
   * use): the inner batch count, then the element strides of A along the inner and outer batch
   * axes, of B, and of C. Product p is at (p div inner)·outer stride + (p mod inner)·inner stride.
   */
  readonly batch: number;
  /**
   * The word, in helper 0's block, counting the chunks of the current product handed out so far:
   * every thread takes the next one with Atomics.add until they run out. So a helper that starts
   * late (asleep, or its vCPU preempted) takes fewer chunks, and the caller waits at most for the
   * chunk a helper is running, never for a fixed half of the product.
   */
  readonly chunkCounter: number;
  /**
   * How long an idle helper keeps polling for the next job before it sleeps on a futex. Inside a
   * training step the jobs come close together, and waking a sleeping thread costs tens of
   * microseconds per job (more on a virtual machine whose idle core was halted), so a helper
   * polls for a while, as OpenMP's spin-wait policy does; but every millisecond it polls after
   * the last job of a burst is a millisecond of the other core taken from everything else (the
   * page, the garbage collector's threads, other processes).
   *
   * 0.1 ms. Formerly 0.5 ms, measured on the 2-core development VM (MLP 784-128-64-10 with Adam,
   * 2 threads): the gaps between consecutive jobs posted to a helper inside a step were p50 46 µs,
   * p90 68 µs, p99 252 µs at batch 64 and p50 133 µs, p90 289 µs, p99 418 µs at batch 256. Since
   * products are cut into chunks that threads take from a shared counter (`chunkCounter`), a
   * helper that wakes late only takes fewer chunks, so bridging the long gaps buys little: waking
   * one from its futex cost ~50 µs here (a 768x128x512 product, 1.08 ms back to back on 2 threads,
   * took 1.13 ms after 2 ms of caller-only work). Polling, on the other hand, costs the calling
   * thread its core whenever the machine has other work: on the shared VM (other processes
   * running, load average 5-8), the baby GPT's step on 2 threads took 150-202 ms with 0.5 ms
   * against 93-166 ms with 0.1 ms and 117-143 ms with none, alternated in one process (1 thread:
   * 125-160 ms); in quieter moments 0.5 and 0.1 ms matched (92.3 and 92.8 ms).
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
  // 256 bytes per helper: `posted` and the job on the first cache line, `finished` on the second.
  controlWords: 64,
  posted: 0,
  kind: 1,
  job: 2,
  jobWords: matmulJobWords,
  claimed: 17,
  finished: 20,
  failed: 21,
  arguments: 24,
  maxArguments: 16,
  chunkMode: 56,
  chunkSize: 57,
  chunkExtent: 58,
  batch: 24,
  // Its own cache line in block 0 (words 48-63 hold nothing else written while chunks are taken).
  chunkCounter: 60,
  idleSpinMilliseconds: 0.1,
};

/**
 * How a chunked job is cut (the `chunkMode` word): a product's columns, its rows, or a batch of
 * whole products (each computed by one thread, as on one thread).
 *
 * @example
 * control[base + kernelThreadLayout.chunkMode] = chunkModes.batch;
 */
export const chunkModes = { columns: 0, rows: 1, batch: 2 } as const;

/**
 * Int32 words of control block per helper.
 *
 * @example
 * new Int32Array(new SharedArrayBuffer(4 * controlWords * helpers));
 */
export const controlWords = kernelThreadLayout.controlWords;
const { posted, kind, job: firstJobWord, claimed, finished, failed } = kernelThreadLayout;

/**
 * Job numbers run 1, 2, ... 0x7ffffffe, then 1 again (they stay positive int32s: a negative one
 * means "stop"); the number before job `number`, which the `claimed` word holds until it is claimed.
 *
 * @example
 * previousJobNumber(1); // 0x7ffffffe: the claimed word starts there
 */
export function previousJobNumber(number: number): number {
  return number === 1 ? lastJobNumber : number - 1;
}
const lastJobNumber = 0x7ffffffe;
const noBatch: readonly number[] = [];

/** Spins (plain loads) of the calling thread before it sleeps waiting for a helper: a product's slices end close together. */
const spinsBeforeSleeping = 20_000;
/** Longest a caller waits for a helper before concluding it died (by default). */
const helperTimeoutMilliseconds = 60_000;

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
  /** The control words as float64s, for a run job's arguments. */
  private readonly numbers: Float64Array;
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
    this.numbers = new Float64Array(control.buffer, control.byteOffset, control.length >> 1);
    this.helpers = helpers;
    this.timeoutMilliseconds = timeoutMilliseconds;
    this.jobNumbers = new Array<number>(helpers).fill(0);
    // Before job 1 the claimed word holds the number before it (helpers wait for a post first).
    for (let index = 0; index < helpers; index++) Atomics.store(control, index * controlWords + claimed, lastJobNumber);
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
    writeMatmulJob(job, this.control, index * controlWords + firstJobWord);
    this.publish(index, jobKinds.matmul);
  }

  /**
   * Starts handing out the chunks of a new product: the chunk counter back to 0. Before any
   * {@link KernelThreads.postChunks} of that product.
   */
  startChunks(): void {
    Atomics.store(this.control, kernelThreadLayout.chunkCounter, 0);
  }

  /** The number of the next chunk of the current product (0, 1, ...: past the last one means none is left). */
  nextChunk(): number {
    return Atomics.add(this.control, kernelThreadLayout.chunkCounter, 1);
  }

  /**
   * Posts to helper `index` the chunks of product `job` (whose `scratch` is this helper's packing
   * region): the helper takes chunks of `size` rows, columns or products ({@link chunkModes}) of
   * the `extent` with {@link KernelThreads.nextChunk} until none is left. For a batch, `batch`
   * holds the inner batch count and the six strides in the order of `kernelThreadLayout.batch`.
   */
  postChunks(
    index: number,
    job: MatmulJob,
    mode: number,
    size: number,
    extent: number,
    batch: ArrayLike<number> = noBatch,
  ): void {
    const base = index * controlWords;
    const layout = kernelThreadLayout;
    writeMatmulJob(job, this.control, base + firstJobWord);
    this.control[base + layout.chunkMode] = mode;
    this.control[base + layout.chunkSize] = size;
    this.control[base + layout.chunkExtent] = extent;
    for (let word = 0; word < batch.length; word++) this.control[base + layout.batch + word] = batch[word];
    this.publish(index, jobKinds.matmulChunks);
  }

  /**
   * Posts to helper `index`: compile the `length` bytes at `address` of the shared memory as a
   * WebAssembly module, instantiate it on that memory and keep its function exports as module `id`.
   */
  postLoad(index: number, id: number, address: number, length: number): void {
    const at = index * controlWords + firstJobWord;
    this.control[at] = id;
    this.control[at + 1] = address;
    this.control[at + 2] = length;
    this.publish(index, jobKinds.load);
  }

  /**
   * Posts to helper `index`: call function export `exportIndex` (in `WebAssembly.Module.exports`
   * order, functions only) of module `id` with `parts` (at most `maxArguments` numbers).
   */
  postRun(index: number, id: number, exportIndex: number, parts: readonly number[]): void {
    const base = index * controlWords;
    this.control[base + firstJobWord] = id;
    this.control[base + firstJobWord + 1] = exportIndex;
    this.control[base + firstJobWord + 2] = parts.length;
    const first = (base + kernelThreadLayout.arguments) >> 1;
    for (let argument = 0; argument < parts.length; argument++) this.numbers[first + argument] = parts[argument];
    this.publish(index, jobKinds.run);
  }

  private publish(index: number, jobKind: number): void {
    const base = index * controlWords;
    this.control[base + kind] = jobKind;
    this.control[base + failed] = 0;
    // Job numbers stay positive int32s (a negative one means "stop"): wrap before 2^31.
    const number = this.jobNumbers[index] >= lastJobNumber ? 1 : this.jobNumbers[index] + 1;
    this.jobNumbers[index] = number;
    Atomics.store(this.control, base + posted, number);
    Atomics.notify(this.control, base + posted);
  }

  /**
   * Claims the job last posted to helper `index` for the calling thread, if the helper has not
   * claimed it yet: `true` means the helper will skip it and the caller must run it (and not
   * {@link KernelThreads.wait} for it). So a helper that is asleep, or not scheduled on a busy
   * machine, costs at most its part run here, never a wait. Only for matmul and run jobs.
   */
  take(index: number): boolean {
    const number = this.jobNumbers[index];
    const previous = previousJobNumber(number);
    return Atomics.compareExchange(this.control, index * controlWords + claimed, previous, number) === previous;
  }

  /**
   * Waits until helper `index` finished the job last posted to it; throws if the job threw. A
   * helper that does not finish within a minute is taken for dead: every helper is stopped (so
   * later products run on the calling thread alone, {@link KernelThreads.isStopped}) and this throws.
   * Errors are reported under `operation`, naming the job as `what`.
   */
  wait(index: number, operation = 'matmul', what = 'a matmul slice'): void {
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
            `kernel thread ${index} did not finish ${what} within ${this.timeoutMilliseconds} ms; kernel threads are stopped, products run on one thread from now on`,
          );
        }
      }
    }
    if (Atomics.load(this.control, base + failed) !== 0)
      throw new AnnetError('INVALID_STATE', operation, `kernel thread ${index} failed while running ${what}`);
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
