/**
 * Helper threads for the WebAssembly matmul: each helper runs its own instance of the shared
 * kernel module on the same shared memory, and takes a slice of a product's rows or columns.
 * This file holds the protocol, which is plain JavaScript (SharedArrayBuffer and Atomics) and
 * safe in any runtime; starting the threads is runtime-specific (`node/worker-threads.ts` uses
 * `worker_threads`).
 *
 * One control word block per helper in a shared Int32Array, {@link controlWords} words each:
 * - word 0: the number of the last job posted (the calling thread increments it, then notifies);
 * - words 1-15: the job, the 15 arguments of `matmulF32` (byte addresses fit in an int32: the
 *   shared memory is at most 2 GiB);
 * - word 16: the number of the last job finished (the helper stores it, then notifies);
 * - word 17: 0, or 1 when the helper's job threw (the calling thread then throws too).
 * Atomics.store/notify/wait order the plain memory writes around them, so operands copied into
 * the scratch region before posting are seen by the helper, and its results by the caller.
 */

/** Int32 words of control block per helper. */
export const controlWords = 32;
const posted = 0;
const firstArgument = 1;
const finished = 16;
const failed = 17;

/** Spins (plain loads) of the calling thread before it sleeps waiting for a helper: a product's slices end close together. */
const spinsBeforeSleeping = 20_000;
/**
 * How long an idle helper keeps polling for the next job before it sleeps on a futex. A training
 * step's products are separated by other work (the optimizer's update takes about a millisecond
 * for a 100k-parameter MLP); waking a sleeping thread costs tens of microseconds per product,
 * which ate most of the gain. Polling keeps the helper's core busy while it waits, as OpenMP's
 * default spin-wait policy does; after this long without work it sleeps.
 */
const idleSpinMilliseconds = 3;
/** Longest a caller waits for a helper before concluding it died (by default). */
const helperTimeoutMilliseconds = 60_000;

/**
 * The source of a helper's loop, as a function of (the kernel module's exports, the control
 * array, the helper's index): kept as text so a runtime can start it from a string
 * (`new Worker(source, { eval: true })`) without a separate file to locate.
 *
 * @example
 * const loop = new Function('exports', 'control', 'index', helperLoopSource);
 */
export const helperLoopSource = `
  const base = index * ${controlWords};
  let seen = 0;
  for (;;) {
    let spins = 0;
    let sleepAt = 0;
    while (Atomics.load(control, base + ${posted}) === seen) {
      if ((++spins & 1023) !== 0) continue;
      const now = performance.now();
      if (sleepAt === 0) sleepAt = now + ${idleSpinMilliseconds};
      else if (now > sleepAt) Atomics.wait(control, base + ${posted}, seen);
    }
    seen = Atomics.load(control, base + ${posted});
    if (seen < 0) return;
    const a = base + ${firstArgument};
    try {
      exports.matmulF32(control[a], control[a + 1], control[a + 2], control[a + 3], control[a + 4], control[a + 5], control[a + 6], control[a + 7],
        control[a + 8], control[a + 9], control[a + 10], control[a + 11], control[a + 12], control[a + 13], control[a + 14]);
    } catch (error) {
      Atomics.store(control, base + ${failed}, 1);
    }
    Atomics.store(control, base + ${finished}, seen);
    Atomics.notify(control, base + ${finished});
  }
`;

/**
 * The calling thread's side of the protocol: posts a job to a helper and waits for it.
 *
 * @example
 * const threads = new KernelThreads(new Int32Array(new SharedArrayBuffer(4 * controlWords * 1)), 1);
 * threads.post(0, args); // 15 matmulF32 arguments
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
   * @param helpers how many helpers run {@link helperLoopSource} on it
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
   * Posts `matmulF32` arguments `args[0..14]` to helper `index`; returns at once. Only after
   * {@link KernelThreads.wait} returned or threw for the previous job: the helper reads the
   * argument words while it runs.
   */
  post(index: number, args: ArrayLike<number>): void {
    const base = index * controlWords;
    for (let argument = 0; argument < 15; argument++) this.control[base + firstArgument + argument] = args[argument];
    this.control[base + failed] = 0;
    // Job numbers stay positive int32s (a negative one means "stop"): wrap before 2^31.
    const job = this.jobNumbers[index] >= 0x7ffffffe ? 1 : this.jobNumbers[index] + 1;
    this.jobNumbers[index] = job;
    Atomics.store(this.control, base + posted, job);
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
          throw new Error(`kernel thread ${index} did not finish a matmul within ${this.timeoutMilliseconds} ms; kernel threads are stopped, products run on one thread from now on`);
        }
      }
    }
    if (Atomics.load(this.control, base + failed) !== 0) throw new Error(`kernel thread ${index} failed while running a matmul slice`);
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
