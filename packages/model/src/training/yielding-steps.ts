import { YieldScheduler } from './event-loop-yielder.js';
import type { YieldPolicy } from './yield-every.js';

/**
 * Work written once as a generator that yields after each batch, run either at once
 * ({@link runSteps}, for the synchronous API) or handing the thread back to the event loop as a
 * {@link YieldPolicy} says ({@link runStepsYielding}, for the `…Async` API).
 *
 * @example
 * function* count(): BatchSteps<number> { for (let batch = 0; batch < 3; batch++) yield; return 3; }
 * runSteps(count()); // 3
 */
export type BatchSteps<T> = Generator<void, T, void>;

/**
 * Runs every step at once and returns the result.
 *
 * @example
 * const output = runSteps(predictSteps(forward, inputs, 32, 'predict'));
 */
export function runSteps<T>(steps: BatchSteps<T>): T {
  for (;;) {
    const result = steps.next();
    if (result.done) return result.value;
  }
}

/**
 * Runs the steps, yielding to the event loop between them as `policy` says.
 *
 * @example
 * const output = await runStepsYielding(predictSteps(forward, inputs, 32, 'predict'), { kind: 'batches', every: 4 });
 */
export async function runStepsYielding<T>(steps: BatchSteps<T>, policy: YieldPolicy): Promise<T> {
  const scheduler = new YieldScheduler(policy);
  try {
    for (;;) {
      const result = steps.next();
      if (result.done) return result.value;
      const pause = scheduler.afterBatch();
      if (pause !== undefined) await pause;
    }
  } finally {
    scheduler.close();
  }
}
