import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { describe, expect, it } from 'vitest';
import type { Callback } from '../callbacks/callback.js';
import { MemoryCheckpointStore, ModelCheckpoint, type CheckpointMoment } from '../callbacks/model-checkpoint.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';

// 120 samples, batch 16: 8 batches per epoch, 3 epochs = 24 steps.
const data = blobs(120, { seed: 4 });

function model(seed: number) {
  return new Sequential([new Dense(4, 16), new ReLU(), new Dropout(0.3), new Dense(16, 3)], {
    inputShape: [4],
  }).initialize(seed);
}

/** Aborts `controller` when the step count reaches `step`, as a Stop button pressed during that batch would. */
function abortAtStep(controller: AbortController, step: number): Callback {
  return {
    name: 'stopButton',
    onBatchEnd: (_logs, context) => (context.step === step ? controller.abort('stop pressed') : undefined),
  };
}

async function train(options: { signal?: AbortSignal; resumeFrom?: Checkpoint; extra?: Callback[] } = {}) {
  const moments: CheckpointMoment[] = [];
  const store = new MemoryCheckpointStore((moment) => {
    moments.push(moment);
    return `${moment.trigger}-${moment.step}`;
  });
  const trained = model(options.resumeFrom ? 99 : 7);
  const history = await trained.fit(data, {
    optimizer: new Adam({ learningRate: 0.01 }),
    loss: 'softmaxCrossEntropy',
    epochs: 3,
    batchSize: 16,
    seed: 5,
    metrics: ['accuracy'],
    callbacks: [...(options.extra ?? []), new ModelCheckpoint({ store, everyEpochs: 1 })],
    signal: options.signal,
    resumeFrom: options.resumeFrom,
  });
  return { trained, history, store, moments };
}

const weights = (trained: Sequential) => trained.parameters().map((parameter) => Array.from(parameter.value));

describe('fit with an AbortSignal', () => {
  it('stops at the batch boundary, saves where it stopped, and a resume from there ends bit-identical to an uninterrupted run', async () => {
    const uninterrupted = await train();
    const controller = new AbortController();
    const stopped = await train({ signal: controller.signal, extra: [abortAtStep(controller, 11)] });
    expect(stopped.history.stopReason).toBe('aborted at step 11 (epoch 2, batch 3): stop pressed');
    expect(stopped.history.epochs.length).toBe(1);
    expect(stopped.moments.map((moment) => `${moment.trigger}-${moment.step}`)).toEqual(['epoch-8', 'abort-11']);
    const saved = stopped.store.get('abort-11')!;
    expect(saved.step).toBe(11);
    expect(saved.extra?.training).toMatchObject({ midEpoch: true, batch: 3 });
    const resumed = await train({ resumeFrom: decodeCheckpoint(encodeCheckpoint(saved)) });
    expect(weights(resumed.trained)).toEqual(weights(uninterrupted.trained));
    expect(resumed.history.values('loss')).toEqual(uninterrupted.history.values('loss'));
  });

  it('an abort after the last batch of an epoch resumes into the epoch end (validation, logs) exactly', async () => {
    const uninterrupted = await train();
    const controller = new AbortController();
    const stopped = await train({ signal: controller.signal, extra: [abortAtStep(controller, 16)] });
    expect(stopped.history.stopReason).toBe('aborted at step 16 (epoch 2, batch 8): stop pressed');
    const resumed = await train({ resumeFrom: decodeCheckpoint(encodeCheckpoint(stopped.store.get('abort-16')!)) });
    expect(weights(resumed.trained)).toEqual(weights(uninterrupted.trained));
    expect(resumed.history.values('accuracy')).toEqual(uninterrupted.history.values('accuracy'));
  });

  it("an abort during an epoch end (validation, hooks) stops before the next epoch's first batch and resumes exactly", async () => {
    const uninterrupted = await train();
    const controller = new AbortController();
    const atEpochEnd: Callback = {
      name: 'stopAtEpochEnd',
      onEpochEnd: (_logs, context) => (context.epoch === 0 ? controller.abort('closed') : undefined),
    };
    const stopped = await train({ signal: controller.signal, extra: [atEpochEnd] });
    expect(stopped.history.stopReason).toBe('aborted at step 8 (epoch 2, batch 0): closed');
    expect(stopped.moments.map((moment) => `${moment.trigger}-${moment.step}`)).toEqual(['epoch-8', 'abort-8']);
    const resumed = await train({ resumeFrom: decodeCheckpoint(encodeCheckpoint(stopped.store.get('abort-8')!)) });
    expect(weights(resumed.trained)).toEqual(weights(uninterrupted.trained));
    expect(resumed.history.values('loss')).toEqual(uninterrupted.history.values('loss'));
  });

  it('an already aborted signal takes no step and saves nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const stopped = await train({ signal: controller.signal });
    expect(stopped.history.stopReason).toBe('aborted at step 0 (epoch 1, batch 0): This operation was aborted');
    expect(stopped.moments).toEqual([]);
    expect(weights(stopped.trained)).toEqual(weights(model(7)));
  });

  it('an abort from a timer is seen at a batch boundary when fit yields', async () => {
    const controller = new AbortController();
    const fit = model(7).fit(blobs(4000, { seed: 1 }), {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 50,
      batchSize: 8,
      signal: controller.signal,
      yieldEvery: 'batch',
    });
    setTimeout(() => controller.abort(), 5);
    const history = await fit;
    expect(history.stopReason).toMatch(/^aborted at step \d+ \(epoch \d+, batch \d+\): This operation was aborted$/);
  });

  it('ModelCheckpoint({ saveOnAbort: false }) does not save on abort, and a non-signal is refused', async () => {
    const controller = new AbortController();
    const store = new MemoryCheckpointStore();
    await model(7).fit(data, {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 1,
      batchSize: 16,
      signal: controller.signal,
      callbacks: [abortAtStep(controller, 2), new ModelCheckpoint({ store, saveOnAbort: false })],
    });
    expect([...store.checkpoints.keys()]).toEqual([]);
    await expect(
      model(7).fit(data, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 1, signal: {} as AbortSignal }),
    ).rejects.toThrow('options.signal must be an AbortSignal');
  });
});
