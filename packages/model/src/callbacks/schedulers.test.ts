import { Dense } from '@annet/layers';
import { Adam, reduceLROnPlateau, SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';

const data = blobs(64, { seed: 5 });

describe('LearningRateScheduler', () => {
  it('gives every epoch the rate its function returns (logged per epoch)', async () => {
    // 64 samples / batch 16 = 4 steps per epoch.
    const scheduler = new LearningRateScheduler((epoch) => 0.1 / 2 ** epoch, { epochs: 4, stepsPerEpoch: 4 });
    const seen: number[] = [];
    const model = new Sequential([new Dense(4, 3)]).initialize(1);
    await model.fit(data, {
      optimizer: new SGD({ learningRate: scheduler.schedule }),
      loss: 'softmaxCrossEntropy',
      epochs: 4,
      batchSize: 16,
      callbacks: [scheduler, { name: 'seen', onEpochBegin: (context) => void seen.push(context.learningRate) }],
    });
    expect(seen).toEqual([0.1, 0.05, 0.025, 0.0125]);
  });
  it('fails loudly when the optimizer does not follow its schedule', async () => {
    const scheduler = new LearningRateScheduler((epoch) => (epoch < 2 ? 0.1 : 0.01), { epochs: 4, stepsPerEpoch: 3 });
    const model = new Sequential([new Dense(4, 3)]).initialize(1);
    await expect(
      model.fit(data, {
        optimizer: new SGD({ learningRate: scheduler.schedule }),
        loss: 'softmaxCrossEntropy',
        epochs: 4,
        batchSize: 16,
        callbacks: [scheduler],
      }),
    ).rejects.toThrow(
      /LearningRateScheduler: at the start of epoch 2 the optimizer is at step 4.*stepsPerEpoch to the batches per epoch \(4\)/,
    );
  });
});

describe('ReduceLROnPlateau', () => {
  it("reports the monitored figure to the optimizer's plateau schedule, which cuts the rate", async () => {
    // With patience 0 and factor 0.5, every epoch whose loss does not improve halves the rate.
    const optimizer = new Adam({
      learningRate: reduceLROnPlateau({ learningRate: 0.01, patience: 0, factor: 0.5, threshold: 10 }),
    });
    const callback = new ReduceLROnPlateau({ monitor: 'loss' });
    const model = new Sequential([new Dense(4, 3)]).initialize(1);
    const history = await model.fit(data, {
      optimizer,
      loss: 'softmaxCrossEntropy',
      epochs: 4,
      batchSize: 16,
      callbacks: [callback],
    });
    // A relative threshold of 10 asks for loss < best·(1 − 10), impossible for a positive loss (even the
    // first time, when best is +∞ and the bound is −∞): every epoch halves the rate after it is logged.
    expect(history.values('learningRate')).toEqual([0.01, 0.005, 0.0025, 0.00125]);
    expect(callback.reductions).toBe(4);
    expect(optimizer.currentLearningRate()).toBe(0.000625);
  });
  it('asks for a plateau schedule when the optimizer has none', async () => {
    const model = new Sequential([new Dense(4, 3)]).initialize(1);
    await expect(
      model.fit(data, {
        optimizer: new Adam(),
        loss: 'softmaxCrossEntropy',
        epochs: 1,
        callbacks: [new ReduceLROnPlateau()],
      }),
    ).rejects.toThrow(/ReduceLROnPlateau: the Adam optimizer has no reduceLROnPlateau schedule/);
  });
});
