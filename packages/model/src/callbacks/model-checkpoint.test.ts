import { Dense } from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import type { TrainingContext } from '../training/training-context.js';
import { MemoryCheckpointStore, ModelCheckpoint } from './model-checkpoint.js';

const data = blobs(64, { seed: 8 });

async function fitWith(saver: ModelCheckpoint, extra: { validation?: boolean; epochs?: number } = {}) {
  const model = new Sequential([new Dense(4, 3)]).initialize(2);
  const history = await model.fit(data, {
    optimizer: new SGD({ learningRate: 0.05 }),
    loss: 'softmaxCrossEntropy',
    epochs: extra.epochs ?? 4,
    batchSize: 16,
    metrics: ['accuracy'],
    ...(extra.validation ? { validationData: blobs(32, { seed: 9 }) } : {}),
    callbacks: [saver],
  });
  return { model, history };
}

describe('ModelCheckpoint', () => {
  it('refuses saveBestOnly on a validation figure with per-step saves, before training starts', () => {
    const store = new MemoryCheckpointStore();
    expect(() => new ModelCheckpoint({ store, everySteps: 10, saveBestOnly: true })).toThrow(
      `ModelCheckpoint: saveBestOnly with everySteps watches per-batch logs, which have no "validationLoss"`,
    );
    expect(() => new ModelCheckpoint({ store, everySteps: 10, saveBestOnly: true, monitor: 'loss' })).not.toThrow();
    expect(() => new ModelCheckpoint({ store, everyEpochs: 1, saveBestOnly: true })).not.toThrow();
  });
  it('saves at the end of every epoch by default, named by the moment', async () => {
    const store = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}-step-${moment.step}`);
    await fitWith(new ModelCheckpoint({ store }));
    // 64 samples in batches of 16: 4 steps per epoch.
    expect([...store.checkpoints.keys()]).toEqual([
      'epoch-1-step-4',
      'epoch-2-step-8',
      'epoch-3-step-12',
      'epoch-4-step-16',
    ]);
    expect(store.get('epoch-2-step-8')!.epoch).toBe(2);
  });
  it('saves every N steps and keeps only the last N, recording them in its own state', async () => {
    const store = new MemoryCheckpointStore();
    const saver = new ModelCheckpoint({ store, everySteps: 3, keepLast: 2 });
    await fitWith(saver);
    // Steps 3, 6, 9, 12, 15 were saved; the last two remain.
    expect([...store.checkpoints.keys()]).toEqual(['step-12', 'step-15']);
    expect(saver.saved).toEqual(['step-12', 'step-15']);
    const state = store.get('step-15')!.extra!.callbacks as Record<string, { saved: string[] }>;
    expect(state.modelCheckpoint.saved).toEqual(['step-12', 'step-15']);
  });
  it('with saveBestOnly saves only epochs that beat the best monitored value', async () => {
    const store = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
    const seen: number[] = [];
    const saver = new ModelCheckpoint({ store, saveBestOnly: true, monitor: 'validationLoss' });
    const model = new Sequential([new Dense(4, 3)]).initialize(2);
    await model.fit(data, {
      optimizer: new SGD({ learningRate: 0.05 }),
      loss: 'softmaxCrossEntropy',
      epochs: 6,
      batchSize: 16,
      validationData: blobs(32, { seed: 9 }),
      callbacks: [{ name: 'seen', onEpochEnd: (logs) => void seen.push(logs.validationLoss) }, saver],
    });
    const expected: string[] = [];
    let best = Number.POSITIVE_INFINITY;
    seen.forEach((loss, epoch) => {
      if (loss < best) {
        best = loss;
        expected.push(`epoch-${epoch + 1}`);
      }
    });
    expect([...store.checkpoints.keys()].sort()).toEqual(expected.sort());
    expect(saver.best).toBe(best);
  });
  it('runs after the other callbacks, so a checkpoint includes what they changed', async () => {
    const store = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
    const marker = {
      name: 'marker',
      value: 0,
      onEpochEnd(_logs: unknown, context: TrainingContext) {
        this.value = context.epoch + 1;
      },
      getState() {
        return { value: this.value };
      },
    };
    await fitWith(new ModelCheckpoint({ store }));
    const model = new Sequential([new Dense(4, 3)]).initialize(2);
    await model.fit(data, {
      optimizer: new SGD(),
      loss: 'softmaxCrossEntropy',
      epochs: 2,
      batchSize: 16,
      callbacks: [new ModelCheckpoint({ store }), marker],
    });
    expect((store.get('epoch-2')!.extra!.callbacks as Record<string, { value: number }>).marker.value).toBe(2);
  });
  it('rejects bad options with the fix in the message', () => {
    expect(() => new ModelCheckpoint({} as never)).toThrow(/ModelCheckpoint: expected \{ store \}/);
    expect(() => new ModelCheckpoint({ store: new MemoryCheckpointStore(), everySteps: 0 })).toThrow(
      /everySteps must be a positive integer, got 0/,
    );
  });
});
