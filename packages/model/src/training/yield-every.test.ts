import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { afterEach, describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { EventLoopYielder, YieldScheduler } from './event-loop-yielder.js';
import { autoYieldMilliseconds, resolveYieldEvery } from './yield-every.js';

// 640 samples, batch 16: 40 batches per epoch.
const data = blobs(640, { seed: 2, features: 8 });

function model() {
  return new Sequential([new Dense(8, 64), new ReLU(), new Dense(64, 3)], { inputShape: [8] }).initialize(1);
}

/** Counts setInterval ticks while `work` runs: a tick can only run when the thread yields a macrotask. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  try {
    await work();
    return ticks;
  } finally {
    clearInterval(timer);
  }
}

const globals = globalThis as { document?: unknown };

afterEach(() => {
  delete globals.document;
});

describe('yieldEvery', () => {
  it("resolves the tfjs forms: 'never', 'batch', 'epoch', milliseconds, { batches }, { milliseconds }", () => {
    expect(resolveYieldEvery('never', false, 'fit')).toEqual({ kind: 'never' });
    expect(resolveYieldEvery('batch', false, 'fit')).toEqual({ kind: 'batches', every: 1 });
    expect(resolveYieldEvery('epoch', false, 'fit')).toEqual({ kind: 'epoch' });
    expect(resolveYieldEvery(50, false, 'fit')).toEqual({ kind: 'milliseconds', every: 50 });
    expect(resolveYieldEvery({ batches: 8 }, false, 'fit')).toEqual({ kind: 'batches', every: 8 });
    expect(resolveYieldEvery({ milliseconds: 5 }, false, 'fit')).toEqual({ kind: 'milliseconds', every: 5 });
  });

  it("'auto' never yields in Node without a signal, every 200 ms with one, and every 20 ms where a document exists", () => {
    expect(resolveYieldEvery(undefined, false, 'fit')).toEqual({ kind: 'never' });
    expect(resolveYieldEvery('auto', true, 'fit')).toEqual({ kind: 'milliseconds', every: 200 });
    globals.document = {};
    expect(resolveYieldEvery('auto', false, 'fit')).toEqual({ kind: 'milliseconds', every: autoYieldMilliseconds });
  });

  it('refuses anything else, naming the accepted forms', () => {
    expect(() => resolveYieldEvery({ batches: 0 }, false, 'fit')).toThrow(
      'fit: yieldEvery.batches must be an integer >= 1, got 0',
    );
    expect(() => resolveYieldEvery(-1, false, 'fit')).toThrow(
      'yieldEvery (milliseconds) must be a finite number >= 0, got -1',
    );
    expect(() => resolveYieldEvery('sometimes' as never, false, 'fit')).toThrow(
      `yieldEvery must be 'auto', 'never', 'batch', 'epoch'`,
    );
    expect(() => resolveYieldEvery({ batches: 2, milliseconds: 3 } as never, false, 'fit')).toThrow(
      'yieldEvery must be',
    );
  });

  it("'never' lets no timer tick during fit; { batches: 4 } yields 10 times an epoch and timers tick", async () => {
    const fitWith = (yieldEvery: 'never' | { batches: number }) =>
      model().fit(data, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 2, batchSize: 16, yieldEvery });
    expect(await ticksDuring(() => fitWith('never'))).toBe(0);
    expect(await ticksDuring(() => fitWith({ batches: 4 }))).toBeGreaterThan(0);
  });

  it('a batches policy yields once per N batches, and at every epoch end', async () => {
    const scheduler = new YieldScheduler({ kind: 'batches', every: 4 });
    for (let batch = 0; batch < 38; batch++) {
      const pause = scheduler.afterBatch();
      if (pause) await pause;
    }
    expect(scheduler.yields).toBe(9);
    await scheduler.afterEpoch();
    expect(scheduler.yields).toBe(10);
    // The epoch end restarts the count: 4 more batches before the next yield.
    for (let batch = 0; batch < 3; batch++) expect(scheduler.afterBatch()).toBeUndefined();
    await scheduler.afterBatch();
    expect(scheduler.yields).toBe(11);
    expect(new YieldScheduler({ kind: 'never' }).afterEpoch()).toBeUndefined();
    scheduler.close();
  });

  it('training that yields ends with the same weights, bit for bit, as training that never yields', async () => {
    const never = model();
    const yielding = model();
    await never.fit(data, {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 2,
      batchSize: 16,
      yieldEvery: 'never',
      validationSplit: 0.25,
    });
    await yielding.fit(data, {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 2,
      batchSize: 16,
      yieldEvery: 'batch',
      validationSplit: 0.25,
    });
    expect(yielding.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
      never.parameters().map((parameter) => Array.from(parameter.value)),
    );
  });

  it('every mechanism lets a due timer run (a MessageChannel needs more yields in Node), and close() releases pending yields', async () => {
    for (const mechanism of ['set-immediate', 'message-channel', 'timeout'] as const) {
      const yielder = new EventLoopYielder(mechanism);
      let fired = false;
      setTimeout(() => (fired = true), 1);
      const start = performance.now();
      while (!fired && performance.now() - start < 2000) await yielder.yield();
      expect(fired, mechanism).toBe(true);
      const pending = yielder.yield();
      yielder.close();
      await pending;
      expect(yielder.count, mechanism).toBeGreaterThan(1);
    }
  });

  it('evaluateAsync and predictAsync give the numbers of evaluate and predict while yielding', async () => {
    const trained = model();
    await trained.fit(data, {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 1,
      batchSize: 16,
      metrics: ['accuracy'],
    });
    const ticks = await ticksDuring(async () => {
      expect(await trained.evaluateAsync(data, { batchSize: 16, yieldEvery: 'batch' })).toEqual(
        trained.evaluate(data, { batchSize: 16 }),
      );
      expect(
        Array.from((await trained.predictAsync(data.inputs, { batchSize: 16, yieldEvery: 'batch' })).data),
      ).toEqual(Array.from(trained.predict(data.inputs, { batchSize: 16 }).data));
    });
    expect(ticks).toBeGreaterThan(0);
  });
});
