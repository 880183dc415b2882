import type { WasmKernelExports } from './wasm-module.js';

/**
 * One call of the kernel module's `matmulF32` (`assembly/matmul.ts`), by name: C (+)= op(A)·op(B)
 * [+ bias] [ReLU]. Addresses are byte addresses in the kernel memory; flags are 0 or 1, as the
 * module takes them. The calling thread runs jobs with {@link runMatmulJob} and posts them to
 * helper threads as words ({@link writeMatmulJob}); both follow {@link matmulJobFields}.
 *
 * @example
 * const job = createMatmulJob();
 * Object.assign(job, { a, lda: 784, b, ldb: 128, c, ldc: 128, m: 64, n: 128, k: 784, scratch });
 * runMatmulJob(exports, job);
 */
export interface MatmulJob {
  /** Address of op(A)'s storage: [m, k], or [k, m] when `transposeA`. */
  a: number;
  /** Row stride of A's storage, in elements. */
  lda: number;
  /** 1 when A is stored transposed. */
  transposeA: number;
  /** Address of op(B)'s storage: [k, n], or [n, k] when `transposeB`. */
  b: number;
  /** Row stride of B's storage, in elements. */
  ldb: number;
  /** 1 when B is stored transposed. */
  transposeB: number;
  /** Address of C, [m, n]. */
  c: number;
  /** Row stride of C, in elements. */
  ldc: number;
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Columns of op(A), rows of op(B). */
  k: number;
  /** 1 to add the product to C, 0 to overwrite C. */
  accumulate: number;
  /** Address of n bias values added to every row, or 0 for none. */
  bias: number;
  /** Epilogue activation code (`wasmActivationCode`: 0 none, 1 ReLU). */
  activation: number;
  /** Address of `matmulScratchBytes(m, n, k)` free bytes for the packed panels, 16-byte aligned. */
  scratch: number;
}

/**
 * The fields of a {@link MatmulJob} in the order of `matmulF32`'s parameters: word `i` of a job
 * posted to a helper thread holds field `i`, and the helper passes the words to `matmulF32` in
 * this order (`kernel-thread-loop.js`).
 *
 * @example
 * matmulJobFields.indexOf('m'); // 8: the ninth word and the ninth argument
 */
export const matmulJobFields = [
  'a',
  'lda',
  'transposeA',
  'b',
  'ldb',
  'transposeB',
  'c',
  'ldc',
  'm',
  'n',
  'k',
  'accumulate',
  'bias',
  'activation',
  'scratch',
] as const satisfies readonly (keyof MatmulJob)[];

// Compile-time check that the list names every field of MatmulJob.
const everyFieldListed: Exclude<keyof MatmulJob, (typeof matmulJobFields)[number]> extends never ? true : false = true;
void everyFieldListed;

/**
 * Int32 words a posted job takes (byte addresses fit: the shared memory is at most 2 GiB).
 *
 * @example
 * new Int32Array(matmulJobWords); // room for one job
 */
export const matmulJobWords = matmulJobFields.length;

/**
 * A job with every field 0, to be filled and reused (a steady-state product allocates nothing).
 *
 * @example
 * const job = createMatmulJob();
 * job.m = 64;
 */
export function createMatmulJob(): MatmulJob {
  return {
    a: 0,
    lda: 0,
    transposeA: 0,
    b: 0,
    ldb: 0,
    transposeB: 0,
    c: 0,
    ldc: 0,
    m: 0,
    n: 0,
    k: 0,
    accumulate: 0,
    bias: 0,
    activation: 0,
    scratch: 0,
  };
}

/**
 * Writes `job` into `words[at .. at + matmulJobWords)` in {@link matmulJobFields} order.
 *
 * @example
 * writeMatmulJob(job, control, base + 1);
 */
export function writeMatmulJob(job: MatmulJob, words: Int32Array, at: number): void {
  for (let index = 0; index < matmulJobWords; index++) words[at + index] = job[matmulJobFields[index]];
}

/**
 * Runs `job` on this thread: `matmulF32` with the job's fields as its arguments.
 *
 * @example
 * runMatmulJob(exports, job);
 */
export function runMatmulJob(exports: WasmKernelExports, job: MatmulJob): void {
  exports.matmulF32(
    job.a,
    job.lda,
    job.transposeA,
    job.b,
    job.ldb,
    job.transposeB,
    job.c,
    job.ldc,
    job.m,
    job.n,
    job.k,
    job.accumulate,
    job.bias,
    job.activation,
    job.scratch,
  );
}

/**
 * Fills `slice` with rows (or columns) [start, start + count) of the product `whole`, packing
 * into `scratch`: the same arithmetic per output element as `whole`, so the parts of a split
 * product are bit-identical to it.
 *
 * @example
 * sliceMatmulJob(whole, slice, true, 0, 35, whole.scratch); // rows 0..34
 */
export function sliceMatmulJob(
  whole: MatmulJob,
  slice: MatmulJob,
  byRows: boolean,
  start: number,
  count: number,
  scratch: number,
): void {
  const transposeA = whole.transposeA !== 0;
  const transposeB = whole.transposeB !== 0;
  // Rows of op(A) start at a + i·lda (or a + i when transposed); columns of op(B) at b + j (or b + j·ldb).
  slice.a = byRows ? whole.a + 4 * start * (transposeA ? 1 : whole.lda) : whole.a;
  slice.lda = whole.lda;
  slice.transposeA = whole.transposeA;
  slice.b = byRows ? whole.b : whole.b + 4 * start * (transposeB ? whole.ldb : 1);
  slice.ldb = whole.ldb;
  slice.transposeB = whole.transposeB;
  slice.c = whole.c + 4 * start * (byRows ? whole.ldc : 1);
  slice.ldc = whole.ldc;
  slice.m = byRows ? count : whole.m;
  slice.n = byRows ? whole.n : count;
  slice.k = whole.k;
  slice.accumulate = whole.accumulate;
  slice.bias = whole.bias === 0 || byRows ? whole.bias : whole.bias + 4 * start;
  slice.activation = whole.activation;
  slice.scratch = scratch;
}
