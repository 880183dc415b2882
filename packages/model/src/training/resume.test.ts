import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam, cosineSchedule } from '@annet/optimizers';
import { DataLoader, TensorDataset } from '@annet/dataset';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import type { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';

// 120 samples, batch 16: 8 batches per epoch (the last one of 8 samples), 3 epochs = 24 steps.
const data = blobs(120, { seed: 4 });
const epochs = 3;

function model(seed: number) {
  return new Sequential([new Dense(4, 16), new ReLU(), new Dropout(0.3), new Dense(16, 3)], {
    inputShape: [4],
  }).initialize(seed);
}

function optimizer() {
  return new Adam({ learningRate: cosineSchedule({ initialLearningRate: 0.02, totalSteps: 24 }) });
}

/** Trains, keeping a checkpoint after every step and every epoch (in memory). */
async function train(resumeFrom?: Checkpoint, seed = 3) {
  const steps = new MemoryCheckpointStore((moment) => `step-${moment.step}`);
  const ends = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
  const trained = model(resumeFrom ? 999 : 7);
  const adam = optimizer();
  const history = await trained.fit(data, {
    optimizer: adam,
    loss: 'softmaxCrossEntropy',
    epochs,
    batchSize: 16,
    seed,
    metrics: ['accuracy'],
    validationSplit: 0.25,
    callbacks: [
      new ModelCheckpoint({ store: steps, everySteps: 1, name: 'everyStep' }),
      new ModelCheckpoint({ store: ends, everyEpochs: 1, name: 'everyEpoch' }),
    ],
    resumeFrom,
  });
  return { steps, ends, history, model: trained, optimizer: adam };
}

/** A checkpoint through bytes, as it would come back from a file. */
function roundTrip(checkpoint: Checkpoint | undefined): Checkpoint {
  expect(checkpoint).toBeDefined();
  return decodeCheckpoint(encodeCheckpoint(checkpoint!));
}

function bytesOf(tensor: Tensor): Uint8Array {
  const data = tensor.contiguous().data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function expectSameTensors(actual: Checkpoint, expected: Checkpoint) {
  const names = Object.keys(expected.tensors)
    .filter((name) => name.startsWith('model.') || name.startsWith('optimizer.'))
    .sort();
  expect(names.length).toBeGreaterThan(8);
  expect(
    Object.keys(actual.tensors)
      .filter((name) => name.startsWith('model.') || name.startsWith('optimizer.'))
      .sort(),
  ).toEqual(names);
  for (const name of names) expect(bytesOf(actual.tensors[name]), name).toEqual(bytesOf(expected.tensors[name]));
  expect(actual.step).toBe(expected.step);
  expect(actual.dataLoader).toEqual(expected.dataLoader);
  expect(actual.rng).toEqual(expected.rng);
  expect(actual.optimizer).toEqual(expected.optimizer);
}

const figures = (history: { epochs: readonly Record<string, number>[] }) =>
  history.epochs.map(({ loss, accuracy, validationLoss, validationAccuracy, learningRate }) => ({
    loss,
    accuracy,
    validationLoss,
    validationAccuracy,
    learningRate,
  }));

describe('resuming fit from a checkpoint', () => {
  it('runs the SIMD optimizer updates here: the layers lend their kernel memory, Adam keeps its moments in it', async () => {
    const { model: trained, optimizer: adam } = await train();
    for (const parameter of trained.parameters()) {
      expect(parameter.memory, parameter.name).toBeDefined();
      const slots = adam.parameterState(parameter.name)!.slots;
      expect(Object.keys(slots).length).toBeGreaterThan(0);
      // Only the kernel path moves the state into the parameters' (shared) memory; the TypeScript update keeps ordinary arrays.
      for (const array of Object.values(slots)) expect(array.buffer, parameter.name).toBeInstanceOf(SharedArrayBuffer);
    }
  });
  it('ends with bit-identical weights and optimizer state when resumed at an epoch boundary', async () => {
    const uninterrupted = await train();
    const resumed = await train(roundTrip(uninterrupted.ends.get('epoch-1')));
    expectSameTensors(resumed.ends.get('epoch-3')!, uninterrupted.ends.get('epoch-3')!);
    expect(figures(resumed.history)).toEqual(figures(uninterrupted.history));
    // The loaded state moved into the kernel memory too: both runs stepped with the same SIMD kernels.
    for (const parameter of resumed.model.parameters()) {
      for (const array of Object.values(resumed.optimizer.parameterState(parameter.name)!.slots))
        expect(array.buffer, parameter.name).toBeInstanceOf(SharedArrayBuffer);
    }
  });
  it('ends with bit-identical weights when resumed mid-epoch (same batches, dropout masks, learning rates)', async () => {
    const uninterrupted = await train();
    // Step 11 is the third batch of the second epoch.
    const checkpoint = roundTrip(uninterrupted.steps.get('step-11'));
    expect(checkpoint.epoch).toBe(1);
    const resumed = await train(checkpoint);
    expectSameTensors(resumed.ends.get('epoch-3')!, uninterrupted.ends.get('epoch-3')!);
    // The interrupted epoch's running loss and accuracy resume too, so the logs agree exactly.
    expect(figures(resumed.history)).toEqual(figures(uninterrupted.history));
  });
  it('resumes from the last batch of an epoch, before its validation ran', async () => {
    const uninterrupted = await train();
    const resumed = await train(roundTrip(uninterrupted.steps.get('step-16')));
    expectSameTensors(resumed.ends.get('epoch-3')!, uninterrupted.ends.get('epoch-3')!);
    expect(figures(resumed.history)).toEqual(figures(uninterrupted.history));
  });
  it('refuses a checkpoint of another architecture or optimizer configuration, changing nothing', async () => {
    const { ends } = await train();
    const checkpoint = ends.get('epoch-1')!;
    const other = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3)], { inputShape: [4] }).initialize(1);
    const before = Array.from(other.parameters()[0].value);
    await expect(
      other.fit(data, {
        optimizer: optimizer(),
        loss: 'softmaxCrossEntropy',
        epochs,
        batchSize: 16,
        resumeFrom: checkpoint,
      }),
    ).rejects.toThrow(/architecture differs/);
    expect(Array.from(other.parameters()[0].value)).toEqual(before);
    await expect(
      model(1).fit(data, {
        optimizer: new Adam({ learningRate: 0.5 }),
        loss: 'softmaxCrossEntropy',
        epochs,
        batchSize: 16,
        resumeFrom: checkpoint,
      }),
    ).rejects.toThrow(/optimizer's configuration differs from the checkpoint's/);
  });
  it('refuses a checkpoint missing a model array without touching the optimizer or a given loader', async () => {
    const checkpoint = (await train()).ends.get('epoch-1')!;
    const { 'model.dense_1.biases': _dropped, ...tensors } = checkpoint.tensors;
    const adam = optimizer();
    // 90 samples: the checkpoint's loader read the 90 left after validationSplit 0.25, so the loader itself accepts the state.
    const loader = new DataLoader(new TensorDataset(data.inputs.slice([0, 90]), data.targets.slice([0, 90])), {
      batchSize: 16,
      shuffle: true,
      seed: 3,
    });
    const loaderBefore = loader.state();
    await expect(
      model(1).fit(loader, {
        optimizer: adam,
        loss: 'softmaxCrossEntropy',
        epochs,
        seed: 3,
        resumeFrom: { ...checkpoint, tensors },
      }),
    ).rejects.toThrow(/dense_1\.biases is missing/);
    expect(adam.stepCount).toBe(0);
    expect(loader.state()).toEqual(loaderBefore);
  });
  it('refuses a checkpoint trained with another seed (it would move validationSplit samples into training)', async () => {
    const { ends } = await train();
    await expect(train(ends.get('epoch-1')!, 4)).rejects.toThrow(
      /the checkpoint was trained with seed 3, this fit uses 4; use the same seed/,
    );
  });
});
