import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runHelperLoop } from './kernel-thread-loop.js';
import { kernelThreadLayout } from './kernel-threads.js';
import { createMatmulJob, matmulJobFields, matmulJobWords, sliceMatmulJob, writeMatmulJob } from './matmul-job.js';
import { compileWasmKernels, instantiateKernelModule } from './wasm-module.js';

const assemblyFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assembly');

/** A job whose field i holds 101 + i. */
function numberedJob() {
  const job = createMatmulJob();
  matmulJobFields.forEach((field, index) => (job[field] = 101 + index));
  return job;
}

describe('the matmul job layout (one named ABI for the caller, the helpers and the kernel module)', () => {
  it("lists the parameters of assembly/matmul.ts's matmulF32, by name and in order", () => {
    const source = fs.readFileSync(path.join(assemblyFolder, 'matmul.ts'), 'utf8');
    const parameters = /export function matmulF32\(([^)]*)\)/.exec(source)![1];
    const names = parameters
      .split(',')
      .map((parameter) => parameter.trim().split(':')[0].trim())
      .filter((name) => name !== '');
    expect(names).toEqual([...matmulJobFields]);
    expect(matmulJobWords).toBe(15);
  });

  it('writes a job into words in that order, at the given offset', () => {
    const words = new Int32Array(2 + matmulJobWords);
    writeMatmulJob(numberedJob(), words, 2);
    expect([...words]).toEqual([0, 0, ...Array.from({ length: 15 }, (_, index) => 101 + index)]);
  });

  it('slices rows and columns at the addresses a hand computation gives', () => {
    // A [10,10] x [10,20] product: A at 1000 (lda 10), B at 2000 (ldb 20), C at 3000 (ldc 20), bias at 4000.
    const whole = Object.assign(createMatmulJob(), {
      a: 1000,
      lda: 10,
      b: 2000,
      ldb: 20,
      c: 3000,
      ldc: 20,
      m: 10,
      n: 20,
      k: 10,
      bias: 4000,
      activation: 1,
      scratch: 9000,
    });
    const slice = createMatmulJob();
    // Rows 5..9: A and C move down 5 rows (4 bytes x 5 x their strides); B and the bias stay.
    sliceMatmulJob(whole, slice, true, 5, 5, 9500);
    expect(slice).toEqual({ ...whole, a: 1000 + 4 * 5 * 10, c: 3000 + 4 * 5 * 20, m: 5, scratch: 9500 });
    // Columns 8..15: B, C and the bias move right 8 columns (32 bytes); A stays.
    sliceMatmulJob(whole, slice, false, 8, 8, 9700);
    expect(slice).toEqual({ ...whole, b: 2032, c: 3032, n: 8, bias: 4032, scratch: 9700 });
    // Transposed A is stored [k, m]: its rows of op(A) are columns, 4 bytes apart.
    sliceMatmulJob({ ...whole, transposeA: 1 }, slice, true, 5, 5, 9500);
    expect(slice.a).toBe(1000 + 4 * 5);
  });

  it('is what the helper loop passes to matmulF32; a job that throws is flagged, a negative job number stops the loop', () => {
    const { controlWords, posted, job, claimed, finished, failed } = kernelThreadLayout;
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords * 2));
    const base = controlWords; // helper 1
    control[base + claimed] = 0x7ffffffe; // as KernelThreads leaves it: the number before job 1
    writeMatmulJob(numberedJob(), control, base + job);
    control[base + posted] = 1;
    const calls: number[][] = [];
    const kernels = {
      matmulF32: (...words: number[]) => {
        calls.push(words);
        if (calls.length === 1) {
          // Post job 2, which throws and tells the loop to stop once it is done.
          control[base + job] = -5;
          control[base + posted] = 2;
          return;
        }
        control[base + posted] = -1;
        throw new Error('kernel trapped');
      },
    };
    runHelperLoop(kernels, new WebAssembly.Memory({ initial: 1 }), control, 1, kernelThreadLayout);
    expect(calls[0]).toEqual(Array.from({ length: 15 }, (_, index) => 101 + index));
    expect(calls[1][0]).toBe(-5);
    expect(calls.length).toBe(2);
    expect([control[base + finished], control[base + failed]]).toEqual([2, 1]);
    expect(control[posted]).toBe(0); // helper 0's block is untouched
  });
});

describe('the register tile the kernel module exports', () => {
  it('is MR x NR of assembly/blocking.ts', () => {
    const source = fs.readFileSync(path.join(assemblyFolder, 'blocking.ts'), 'utf8');
    const constant = (name: string) => Number(new RegExp(`export const ${name}: i32 = (\\d+);`).exec(source)![1]);
    const exports = instantiateKernelModule(compileWasmKernels('simd', false), null);
    expect([exports.tileRows.value, exports.tileColumns.value]).toEqual([constant('MR'), constant('NR')]);
    expect([constant('MR'), constant('NR')]).toEqual([5, 8]);
  });
});
