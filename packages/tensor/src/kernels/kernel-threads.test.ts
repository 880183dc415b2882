import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { controlWords, KernelThreads } from './kernel-threads.js';
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
    expect(control[1]).toBe(7); // the arguments are in the helper's words
    expect(control[0]).toBe(1); // job 1 posted
    expect(() => threads.wait(0)).toThrow(
      /kernel thread 0 did not finish a matmul within 50 ms; kernel threads are stopped/,
    );
    expect(threads.isStopped).toBe(true);
    // Stopping posts -1 ("leave your loop") to every helper.
    expect([control[0], control[controlWords]]).toEqual([-1, -1]);
  });

  it('reports a failed job, clears the failure when the next job is posted, and keeps job numbers positive', () => {
    const control = new Int32Array(new SharedArrayBuffer(4 * controlWords));
    const threads = new KernelThreads(control, 1, 50);
    threads.post(0, uniformJob(0));
    // Play the helper: it finished job 1 and flagged a failure.
    control[17] = 1;
    control[16] = 1;
    expect(() => threads.wait(0)).toThrow(
      new AnnetError('INVALID_STATE', 'matmul', 'kernel thread 0 failed while running a matmul slice'),
    );
    threads.post(0, uniformJob(0));
    expect(control[17]).toBe(0);
    control[16] = 2;
    expect(() => threads.wait(0)).not.toThrow();
    // Near 2^31 the job number wraps to 1 instead of turning negative (which means "stop").
    (threads as unknown as { jobNumbers: number[] }).jobNumbers[0] = 0x7ffffffe;
    threads.post(0, uniformJob(0));
    expect(control[0]).toBe(1);
  });
});
