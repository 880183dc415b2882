import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import type { Callback } from './callback.js';
import { ProgressReporter, type FitProgress } from './progress-reporter.js';

// 120 samples, batch 16: 8 batches per epoch (the last of 8 samples), 3 epochs.
const data = blobs(120, { seed: 4 });

/** Runs fit with a clock that reads 10 ms per optimizer step, so every rate below is derived by hand. */
async function report(everyMilliseconds: number, signal?: AbortSignal, extra: Callback[] = []) {
  let clock = 0;
  const tick: Callback = { name: 'tick', onBatchEnd: (_logs, context) => void (clock = context.step * 10) };
  const reports: FitProgress[] = [];
  const reporter = new ProgressReporter((progress) => reports.push(progress), { everyMilliseconds, now: () => clock });
  const model = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3)], { inputShape: [4] }).initialize(1);
  await model.fit(data, {
    optimizer: new Adam({ learningRate: 0.01 }),
    loss: 'softmaxCrossEntropy',
    epochs: 3,
    batchSize: 16,
    metrics: ['accuracy'],
    callbacks: [tick, ...extra, reporter],
    signal,
  });
  return reports;
}

describe('ProgressReporter', () => {
  it('reports plain data that structuredClone and JSON carry unchanged', async () => {
    const reports = await report(0);
    for (const progress of reports) {
      expect(structuredClone(progress)).toEqual(progress);
      expect(JSON.parse(JSON.stringify(progress))).toEqual(progress);
      expect(Object.getPrototypeOf(progress)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(progress.metrics)).toBe(Object.prototype);
    }
    expect(reports.map((progress) => progress.phase).join(' ')).toBe(
      [
        'begin',
        ...Array(8).fill('batch'),
        'epoch',
        ...Array(8).fill('batch'),
        'epoch',
        ...Array(8).fill('batch'),
        'epoch',
        'end',
      ].join(' '),
    );
  });

  it('figures throughput and ETA from the clock: 64 samples in 40 ms is 1600 samples/s, 56 + 240 samples left', async () => {
    const reports = await report(0);
    const fourth = reports[4];
    expect(fourth).toMatchObject({
      phase: 'batch',
      epoch: 1,
      epochs: 3,
      batch: 4,
      batchesPerEpoch: 8,
      step: 4,
      samples: 64,
      samplesPerEpoch: 120,
      elapsedSeconds: 0.04,
    });
    expect(fourth.samplesPerSecond).toBeCloseTo(1600, 9);
    expect(fourth.epochEtaSeconds).toBeCloseTo(56 / 1600, 9);
    expect(fourth.etaSeconds).toBeCloseTo(56 / 1600 + 240 / 1600, 9);
    expect(Object.keys(fourth.metrics)).toEqual(['accuracy']);
    expect(fourth.loss).toBeGreaterThan(0);
    const firstEpoch = reports[9];
    expect(firstEpoch).toMatchObject({ phase: 'epoch', epoch: 1, batch: 8, samples: 120, epochEtaSeconds: 0 });
    expect(firstEpoch.etaSeconds).toBeCloseTo(240 / 1500, 9); // 120 samples in 80 ms
    expect(reports.at(-1)).toMatchObject({
      phase: 'end',
      epoch: 3,
      step: 24,
      etaSeconds: 0,
      stopReason: null,
      aborted: false,
    });
    expect(reports[0]).toMatchObject({
      phase: 'begin',
      loss: null,
      batchLoss: null,
      etaSeconds: null,
      samplesPerSecond: 0,
    });
  });

  it('throttles batch reports to one per everyMilliseconds, and reports an abort', async () => {
    const controller = new AbortController();
    const stop: Callback = {
      name: 'stop',
      onBatchEnd: (_logs, context) => (context.step === 12 ? controller.abort('user') : undefined),
    };
    const reports = await report(25, controller.signal, [stop]);
    // Batch reports at 10 ms (the first of an epoch), then whenever 25 ms passed: steps 1, 4, 7 | 9, 12.
    expect(reports.filter((progress) => progress.phase === 'batch').map((progress) => progress.step)).toEqual([
      1, 4, 7, 9, 12,
    ]);
    expect(reports.at(-1)).toMatchObject({
      phase: 'end',
      aborted: true,
      stopReason: 'aborted at step 12 (epoch 2, batch 4): user',
      etaSeconds: 0,
    });
  });
});
