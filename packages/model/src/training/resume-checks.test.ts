import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import type { Checkpoint } from '@annet/serialization';
import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import type { FitOptions } from './fit-options.js';

// 48 samples, batch 16: 3 steps per epoch.
const data = blobs(48, { seed: 2 });

function model(seed: number) {
  return new Sequential([new Dense(4, 8), new ReLU(), new Dropout(0.2), new Dense(8, 3)], {
    inputShape: [4],
  }).initialize(seed);
}

function options(extra: Partial<FitOptions> = {}): FitOptions {
  return {
    optimizer: new Adam({ learningRate: 0.01 }),
    loss: 'softmaxCrossEntropy',
    epochs: 3,
    batchSize: 16,
    seed: 3,
    metrics: ['accuracy'],
    ...extra,
  };
}

/** A checkpoint after epoch 1 and one after step 4 (mid-epoch 2) of a run with these run settings. */
async function checkpoints(runSettings?: FitOptions['runSettings']) {
  const ends = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
  const steps = new MemoryCheckpointStore((moment) => `step-${moment.step}`);
  await model(7).fit(
    data,
    options({
      epochs: 2,
      runSettings,
      callbacks: [
        new ModelCheckpoint({ store: ends, everyEpochs: 1, name: 'ends' }),
        new ModelCheckpoint({ store: steps, everySteps: 1, name: 'steps' }),
      ],
    }),
  );
  return { atEpochEnd: ends.get('epoch-1')!, midEpoch: steps.get('step-4')! };
}

/** Resumes a fresh model and optimizer from `checkpoint`, expecting `error`; then checks that nothing changed. */
async function expectRefusedUnchanged(checkpoint: Checkpoint, error: RegExp, extra: Partial<FitOptions> = {}) {
  const fresh = model(1);
  const before = fresh.parameters().map((parameter) => Array.from(parameter.value));
  const adam = new Adam({ learningRate: 0.01 });
  await expect(fresh.fit(data, options({ optimizer: adam, resumeFrom: checkpoint, ...extra }))).rejects.toThrow(error);
  expect(fresh.parameters().map((parameter) => Array.from(parameter.value))).toEqual(before);
  expect(adam.stepCount).toBe(0);
  expect(adam.stateDict().arrays).toEqual({});
}

function withTensor(checkpoint: Checkpoint, name: string, tensor: Tensor): Checkpoint {
  expect(checkpoint.tensors[name], name).toBeDefined();
  return { ...checkpoint, tensors: { ...checkpoint.tensors, [name]: tensor } };
}

function withTraining(checkpoint: Checkpoint, training: Record<string, unknown>): Checkpoint {
  return {
    ...checkpoint,
    extra: {
      ...checkpoint.extra,
      training: { ...(checkpoint.extra!.training as object), ...training },
    } as Checkpoint['extra'],
  };
}

describe('resumeFrom is all or nothing (issue 21 item 2)', () => {
  it('refuses a bad history before changing the model or the optimizer', async () => {
    const { atEpochEnd } = await checkpoints();
    await expectRefusedUnchanged({ ...atEpochEnd, history: 'x' }, /expected \{ epochs: \[\.\.\.\] \}/);
    await expectRefusedUnchanged(
      { ...atEpochEnd, history: { epochs: ['x'] } },
      /History: epoch 0 must be an object of numbers/,
    );
  });
  it('refuses a bad epoch in progress (running loss, metric sums, counters) before changing anything', async () => {
    const { midEpoch } = await checkpoints();
    await expectRefusedUnchanged(
      withTraining(midEpoch, { epochLoss: null }),
      /extra\.training\.epochLoss must be an object/,
    );
    await expectRefusedUnchanged(
      withTraining(midEpoch, { epochLoss: { sum: 'a', weight: 1 } }),
      /RunningMean: saved state needs a finite number "sum"/,
    );
    await expectRefusedUnchanged(withTraining(midEpoch, { metrics: {} }), /no state for metric "accuracy"/);
    await expectRefusedUnchanged(
      withTraining(midEpoch, { batch: -1 }),
      /extra\.training\.batch must be a non-negative integer, got -1/,
    );
  });
  it("refuses a bad Dropout generator state, leaving the model's masks as they were", async () => {
    const { atEpochEnd } = await checkpoints();
    const fresh = model(1);
    const dropout = fresh.layers[2];
    const stateBefore = dropout.getState!();
    const bad = { ...atEpochEnd, rng: { ...atEpochEnd.rng, dropout_1: { rng: 'x' } } } as unknown as Checkpoint;
    await expect(fresh.fit(data, options({ resumeFrom: bad }))).rejects.toThrow(
      /setState: expected \{ rng: \{ algorithm, words \} \}/,
    );
    expect(dropout.getState!()).toEqual(stateBefore);
    await expectRefusedUnchanged(bad, /setState: expected \{ rng: \{ algorithm, words \} \}/);
  });
  it('still resumes the unmodified checkpoints', async () => {
    const { atEpochEnd, midEpoch } = await checkpoints();
    for (const checkpoint of [atEpochEnd, midEpoch]) {
      const adam = new Adam({ learningRate: 0.01 });
      await model(1).fit(data, options({ optimizer: adam, resumeFrom: checkpoint }));
      expect(adam.stepCount).toBe(9);
    }
  });
});

describe('resumeFrom checks dtypes (issue 21 item 3)', () => {
  it('refuses a model array stored as int32 (float bit patterns) or as another float type, naming the tensor', async () => {
    const { atEpochEnd } = await checkpoints();
    const biases = atEpochEnd.tensors['model.dense_1.biases'].contiguous();
    const bits = new Int32Array((biases.data as Float32Array).slice().buffer);
    await expectRefusedUnchanged(
      withTensor(atEpochEnd, 'model.dense_1.biases', new Tensor(bits, biases.shape)),
      /dense_1\.biases is int32 in the checkpoint, float32 in the model/,
    );
    const wider = new Tensor(Float64Array.from(biases.data), biases.shape);
    await expectRefusedUnchanged(
      withTensor(atEpochEnd, 'model.dense_1.biases', wider),
      /dense_1\.biases is float64 in the checkpoint, float32 in the model/,
    );
  });
  it('refuses an optimizer array of another dtype than its parameter, naming it', async () => {
    const { atEpochEnd } = await checkpoints();
    const name = Object.keys(atEpochEnd.tensors).find((key) => key.startsWith('optimizer.dense_2.weights.'))!;
    const moment = atEpochEnd.tensors[name];
    await expectRefusedUnchanged(
      withTensor(atEpochEnd, name, new Tensor(new Int32Array(moment.size), moment.shape)),
      new RegExp(`${name.replaceAll('.', '\\.')} is int32, its parameter is float32`),
    );
  });
});

describe('resumeFrom refuses a diverged checkpoint (issue 21 item 6)', () => {
  it('refuses NaN or infinite weights and optimizer moments unless allowNonFiniteResume', async () => {
    const { atEpochEnd } = await checkpoints();
    const weights = atEpochEnd.tensors['model.dense_1.weights'].contiguous();
    const poisoned = (weights.data as Float32Array).slice();
    poisoned[3] = Number.NaN;
    const nanWeights = withTensor(atEpochEnd, 'model.dense_1.weights', new Tensor(poisoned, weights.shape));
    await expectRefusedUnchanged(
      nanWeights,
      /NaN or infinite values in model\.dense_1\.weights \(a diverged run\); resume from an earlier checkpoint, or pass allowNonFiniteResume: true/,
    );
    const name = Object.keys(atEpochEnd.tensors).find((key) => key.startsWith('optimizer.dense_1.biases.'))!;
    const moment = (atEpochEnd.tensors[name].contiguous().data as Float32Array).slice();
    moment[0] = Number.POSITIVE_INFINITY;
    await expectRefusedUnchanged(
      withTensor(atEpochEnd, name, new Tensor(moment, atEpochEnd.tensors[name].shape)),
      new RegExp(`NaN or infinite values in ${name.replaceAll('.', '\\.')}`),
    );
    // Forced: it resumes (and the NaN is in the weights).
    const forced = model(1);
    await forced.fit(data, options({ resumeFrom: nanWeights, allowNonFiniteResume: true, epochs: 2 }));
    expect(Number.isNaN(forced.parameters()[0].value[3])).toBe(true);
  });
});

describe('resumeFrom checks recorded run settings (issue 21 item 4)', () => {
  it('records runSettings in every checkpoint and refuses a resume with other or missing ones, naming the setting', async () => {
    const { atEpochEnd } = await checkpoints({ shift: 2, data: 'mnist' });
    expect((atEpochEnd.extra!.fit as { runSettings: unknown }).runSettings).toEqual({ shift: 2, data: 'mnist' });
    await expectRefusedUnchanged(
      atEpochEnd,
      /trained with runSettings\.shift = 2, this fit uses 0; use the same setting/,
      { runSettings: { shift: 0, data: 'mnist' } },
    );
    await expectRefusedUnchanged(atEpochEnd, /trained with runSettings\.shift = 2, this fit uses null/);
    const { atEpochEnd: unrecorded } = await checkpoints();
    await expectRefusedUnchanged(unrecorded, /trained with runSettings\.shift = null, this fit uses 2/, {
      runSettings: { shift: 2 },
    });
    // Equal settings in another key order are the same settings.
    const adam = new Adam({ learningRate: 0.01 });
    await model(1).fit(
      data,
      options({ optimizer: adam, resumeFrom: atEpochEnd, runSettings: { data: 'mnist', shift: 2 } }),
    );
    expect(adam.stepCount).toBe(9);
  });
});
