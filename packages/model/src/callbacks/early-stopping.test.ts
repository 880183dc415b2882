import { Dense, ReLU } from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import type { TrainingContext } from '../training/training-context.js';
import type { Callback } from './callback.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { EarlyStopping } from './early-stopping.js';
import { MemoryCheckpointStore, ModelCheckpoint } from './model-checkpoint.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';

/** Keeps a copy of the weights after every epoch. */
class WeightRecorder implements Callback {
  readonly name = 'weightRecorder';
  readonly epochs: number[][][] = [];
  onEpochEnd(_logs: unknown, context: TrainingContext) {
    this.epochs.push(context.model.parameters().map((parameter) => Array.from(parameter.value)));
  }
}

const train = blobs(160, { seed: 2 });
const validation = blobs(80, { seed: 3 });

/** Three calm epochs, then a learning rate so large that the validation loss gets worse. */
async function runWithBlowUp(stopper: EarlyStopping, extra: Callback[] = [], resumeFrom?: Checkpoint) {
  const model = new Sequential([new Dense(4, 16), new ReLU(), new Dense(16, 3)], { inputShape: [4] }).initialize(4);
  const scheduler = new LearningRateScheduler((epoch) => (epoch < 3 ? 0.05 : 3), { epochs: 10, stepsPerEpoch: 10 });
  const recorder = new WeightRecorder();
  const history = await model.fit(train, {
    optimizer: new SGD({ learningRate: scheduler.schedule }),
    loss: 'softmaxCrossEntropy',
    epochs: 10,
    batchSize: 16,
    validationData: validation,
    callbacks: [scheduler, recorder, stopper, ...extra],
    resumeFrom,
  });
  return { model, recorder, history };
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best epoch weights', async () => {
    const stopper = new EarlyStopping({ monitor: 'validationLoss', patience: 2, restoreBestWeights: true });
    const { model, recorder, history } = await runWithBlowUp(stopper);
    const losses = history.values('validationLoss');
    const best = losses.indexOf(Math.min(...losses));
    expect(best).toBeLessThan(losses.length - 1);
    expect(stopper.bestEpoch).toBe(best);
    // Patience 2: the run ends two epochs after the best one.
    expect(history.epochs).toHaveLength(best + 3);
    expect(history.stopReason).toMatch(/validationLoss did not improve for 2 epochs/);
    expect(model.parameters().map((parameter) => Array.from(parameter.value))).toEqual(recorder.epochs[best]);
    expect(recorder.epochs[best]).not.toEqual(recorder.epochs[recorder.epochs.length - 1]);
  });
  it('restores the best weights after a resume from a checkpoint taken after the best epoch', async () => {
    const options = { monitor: 'validationLoss', patience: 2, restoreBestWeights: true } as const;
    const store = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
    const uninterrupted = await runWithBlowUp(new EarlyStopping(options), [new ModelCheckpoint({ store })]);
    const best = uninterrupted.history
      .values('validationLoss')
      .indexOf(Math.min(...uninterrupted.history.values('validationLoss')));
    // The checkpoint of the epoch after the best holds the best weights only in EarlyStopping's saved copy.
    const checkpoint = decodeCheckpoint(encodeCheckpoint(store.get(`epoch-${best + 2}`)!));
    const resumedStopper = new EarlyStopping(options);
    const resumed = await runWithBlowUp(resumedStopper, [], checkpoint);
    expect(resumedStopper.bestEpoch).toBe(best);
    expect(resumed.model.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
      uninterrupted.recorder.epochs[best],
    );
  });
  it('leaves the last weights in place without restoreBestWeights', async () => {
    const { model, recorder } = await runWithBlowUp(new EarlyStopping({ patience: 2 }));
    expect(model.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
      recorder.epochs[recorder.epochs.length - 1],
    );
  });
  it('reads the monitor from the logs and says which keys exist when it is missing', async () => {
    const model = new Sequential([new Dense(4, 3)]);
    await expect(
      model.fit(train, {
        optimizer: new SGD(),
        loss: 'softmaxCrossEntropy',
        epochs: 1,
        callbacks: [new EarlyStopping()],
      }),
    ).rejects.toThrow(
      /EarlyStopping: the logs have no "validationLoss"; available: loss, learningRate, seconds, samplesPerSecond/,
    );
  });
  it('treats accuracy-like monitors as higher-is-better', () => {
    expect(new EarlyStopping({ monitor: 'validationAccuracy' }).mode).toBe('max');
    expect(new EarlyStopping({ monitor: 'validationLoss' }).mode).toBe('min');
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer/);
  });
});
