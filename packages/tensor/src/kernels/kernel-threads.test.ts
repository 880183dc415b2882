import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import {
  chunkModes,
  controlWords,
  jobKinds,
  kernelThreadLayout,
  KernelThreads,
  previousJobNumber,
} from './kernel-threads.js';
import { createMatmulJob, matmulJobFields, type MatmulJob } from './matmul-job.js';

/** A job whose every field is `value`. */
function uniformJob(value: number): MatmulJob {
  const job = createMatmulJob();
  for (const field of matmulJobFields) job[field] = value;
  return job;
}

describe('KernelThreads (the calling side of the helper protocol)', () => {
  it('takes a helper that never answers for dead: wait throws after the timeout and the pool stops', () => {
    // No helper thread runs on this control block, so the posted job is never finished.
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords * 2));
    const threads = new KernelThreads(control, 2, 50);
    threads.post(0, uniformJob(7));
    const { posted, kind, job, finished, failed } = kernelThreadLayout;
    expect(control[job]).toBe(7); // the arguments are in the helper's words
    expect(control[kind]).toBe(jobKinds.matmul);
    expect(control[posted]).toBe(1); // job 1 posted
    expect(() => threads.wait(0)).toThrow(
      /kernel thread 0 did not finish a matmul slice within 50 ms; kernel threads are stopped/,
    );
    expect(threads.isStopped).toBe(true);
    // Stopping posts -1 ("leave your loop") to every helper.
    expect([control[0], control[controlWords]]).toEqual([-1, -1]);
  });

  it('reports a failed job, clears the failure when the next job is posted, and keeps job numbers positive', () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords));
    const threads = new KernelThreads(control, 1, 50);
    const { posted, finished, failed } = kernelThreadLayout;
    threads.post(0, uniformJob(0));
    // Play the helper: it finished job 1 and flagged a failure.
    control[failed] = 1;
    control[finished] = 1;
    expect(() => threads.wait(0)).toThrow(
      new AnnetError('INVALID_STATE', 'matmul', 'kernel thread 0 failed while running a matmul slice'),
    );
    threads.post(0, uniformJob(0));
    expect(control[failed]).toBe(0);
    control[finished] = 2;
    expect(() => threads.wait(0)).not.toThrow();
    // Near 2^31 the job number wraps to 1 instead of turning negative (which means "stop").
    (threads as unknown as { jobNumbers: number[] }).jobNumbers[0] = 0x7ffffffe;
    threads.post(0, uniformJob(0));
    expect(control[posted]).toBe(1);
  });

  it('posts load and run jobs with their words, run arguments as float64s, and names them in failures', () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords * 2));
    const threads = new KernelThreads(control, 2, 50);
    const { kind, job, finished, failed, arguments: first, maxArguments } = kernelThreadLayout;
    const base = controlWords; // helper 1
    threads.postLoad(1, 3, 4096, 900);
    expect([control[base + kind], control[base + job], control[base + job + 1], control[base + job + 2]]).toEqual([
      jobKinds.load,
      3,
      4096,
      900,
    ]);
    threads.postRun(0, 2, 5, [16, 0.1, -7]);
    expect([control[kind], control[job], control[job + 1], control[job + 2]]).toEqual([jobKinds.run, 2, 5, 3]);
    expect(Array.from(new Float64Array(control.buffer, 4 * first, 3))).toEqual([16, 0.1, -7]);
    expect(first % 2).toBe(0); // float64-aligned, and the arguments stay inside the block
    expect(first + 2 * maxArguments).toBeLessThanOrEqual(controlWords);
    control[failed] = 1;
    control[finished] = 1;
    expect(() => threads.wait(0, 'ParallelKernels.run', '"adagrad"')).toThrow(
      new AnnetError('INVALID_STATE', 'ParallelKernels.run', 'kernel thread 0 failed while running "adagrad"'),
    );
  });

  it('lets the calling thread take a posted job its helper has not claimed, exactly once, and never one the helper claimed', () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords));
    const threads = new KernelThreads(control, 1, 50);
    const { claimed } = kernelThreadLayout;
    expect(control[claimed]).toBe(previousJobNumber(1));
    threads.postRun(0, 0, 0, []);
    expect(threads.take(0)).toBe(true);
    expect(threads.take(0)).toBe(false);
    // Job 2, claimed by the helper first (the compare-exchange the helper loop does).
    threads.postRun(0, 0, 0, []);
    expect(Atomics.compareExchange(control, claimed, 1, 2)).toBe(1);
    expect(threads.take(0)).toBe(false);
    expect(previousJobNumber(2)).toBe(1);
  });

  it('posts chunked products with their cut and batch words, and hands out each chunk number once from a shared counter', () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords * 2));
    const threads = new KernelThreads(control, 2, 50);
    const layout = kernelThreadLayout;
    const base = controlWords; // helper 1
    threads.startChunks();
    threads.postChunks(1, uniformJob(9), chunkModes.batch, 3, 48, [4, 32, 8192, 32, 8192, 4096, 16384]);
    expect(control[base + layout.kind]).toBe(jobKinds.matmulChunks);
    expect(control[base + layout.job]).toBe(9);
    expect([
      control[base + layout.chunkMode],
      control[base + layout.chunkSize],
      control[base + layout.chunkExtent],
    ]).toEqual([chunkModes.batch, 3, 48]);
    expect(Array.from(control.subarray(base + layout.batch, base + layout.batch + 7))).toEqual([
      4, 32, 8192, 32, 8192, 4096, 16384,
    ]);
    // The counter is one word in helper 0's block, shared by every thread of the product.
    expect([threads.nextChunk(), threads.nextChunk()]).toEqual([0, 1]);
    expect(Atomics.add(control, layout.chunkCounter, 1)).toBe(2); // as a helper takes one
    expect(threads.nextChunk()).toBe(3);
    threads.startChunks();
    expect(threads.nextChunk()).toBe(0);
    // The chunk words, the batch words and the counter overlap neither each other nor the job and status words.
    const words = [
      layout.posted,
      layout.kind,
      ...Array.from({ length: layout.jobWords }, (_, index) => layout.job + index),
      layout.claimed,
      layout.finished,
      layout.failed,
      ...Array.from({ length: 7 }, (_, index) => layout.batch + index),
      layout.chunkMode,
      layout.chunkSize,
      layout.chunkExtent,
      layout.chunkCounter,
    ];
    expect(new Set(words).size).toBe(words.length);
    expect(Math.max(...words)).toBeLessThan(controlWords);
  });
});
