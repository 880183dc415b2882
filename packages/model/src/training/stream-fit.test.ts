import { csvDataset, DataLoader, IterableDataset, TensorDataset, type Sample } from '@annet/dataset';
import { Dense, ReLU } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { describe, expect, it } from 'vitest';
import type { Callback } from '../callbacks/callback.js';
import { MemoryCheckpointStore, ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';

// 50 rows of 4 features and a label in 0..2: with batch 16 a pass is 4 batches (16, 16, 16, 2).
const points = blobs(50, { seed: 6 });
const csv = `a,b,c,d,label\n${Array.from({ length: 50 }, (_, row) => [...points.inputs.data.subarray(row * 4, row * 4 + 4), points.targets.data[row]].join(',')).join('\n')}\n`;
const file = new File([csv], 'points.csv');

/** A shuffled stream over the CSV file, re-read from the File at every pass. */
const streamLoader = () =>
  new DataLoader(
    csvDataset(() => file, { label: 'label', numClasses: 3 }),
    { batchSize: 16, shuffle: true, shuffleBufferSize: 20, seed: 3 },
  );

const model = (seed = 1) =>
  new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3)], { inputShape: [4] }).initialize(seed);
const weights = (trained: Sequential) => trained.parameters().map((parameter) => Array.from(parameter.value));

/** Records per batch what the context says about the epoch's length. */
function lengths(): Callback & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: 'lengths',
    seen,
    onBatchEnd: (_logs, context) => void seen.push(`${context.epoch}:${context.batch}/${context.batchesPerEpoch}`),
  };
}

async function trainStream(options: { stepsPerEpoch?: number; resumeFrom?: Checkpoint; epochs?: number } = {}) {
  const steps = new MemoryCheckpointStore((moment) => `step-${moment.step}`);
  const recorder = lengths();
  const trained = model(options.resumeFrom ? 50 : 1);
  const history = await trained.fit(streamLoader(), {
    optimizer: new Adam({ learningRate: 0.01 }),
    loss: 'softmaxCrossEntropy',
    epochs: options.epochs ?? 3,
    metrics: ['accuracy'],
    stepsPerEpoch: options.stepsPerEpoch,
    resumeFrom: options.resumeFrom,
    callbacks: [recorder, new ModelCheckpoint({ store: steps, everySteps: 1 })],
  });
  return { trained, history, steps, seen: recorder.seen };
}

const roundTrip = (checkpoint: Checkpoint | undefined) => decodeCheckpoint(encodeCheckpoint(checkpoint!));

describe('fit on a stream', () => {
  it('csvDataset → DataLoader → fit trains a pass per epoch; the epoch length is unknown (NaN) until the first pass ends', async () => {
    const { history, seen } = await trainStream();
    expect(history.epochs.length).toBe(3);
    expect(seen.slice(0, 5)).toEqual(['0:1/NaN', '0:2/NaN', '0:3/NaN', '0:4/NaN', '1:1/4']);
    expect(seen.length).toBe(12);
    expect(history.values('loss')[2]).toBeLessThan(history.values('loss')[0]);
  });

  it('with stepsPerEpoch an epoch is that many batches, running on across passes of the stream', async () => {
    const { seen, trained } = await trainStream({ stepsPerEpoch: 3 });
    expect(seen).toEqual(['0:1/3', '0:2/3', '0:3/3', '1:1/3', '1:2/3', '1:3/3', '2:1/3', '2:2/3', '2:3/3']);
    // 9 batches are the first two passes (4 + 4) and one batch of the third: the same batches as one epoch-free run of 9 steps.
    const reference = model(1);
    const loader = streamLoader();
    await reference.fit(loader, {
      optimizer: new Adam({ learningRate: 0.01 }),
      loss: 'softmaxCrossEntropy',
      epochs: 1,
      stepsPerEpoch: 9,
    });
    expect(weights(trained)).toEqual(weights(reference));
    expect(loader.state()).toMatchObject({ epoch: 2, position: 16 });
  });

  it('resumes mid-pass bit for bit, with and without stepsPerEpoch (the File is re-read and the position replayed)', async () => {
    for (const stepsPerEpoch of [undefined, 3]) {
      const straight = await trainStream({ stepsPerEpoch });
      for (const step of [2, 6, 7]) {
        const resumed = await trainStream({ stepsPerEpoch, resumeFrom: roundTrip(straight.steps.get(`step-${step}`)) });
        expect(weights(resumed.trained), `stepsPerEpoch ${stepsPerEpoch}, step ${step}`).toEqual(
          weights(straight.trained),
        );
        expect(resumed.history.values('loss')).toEqual(straight.history.values('loss'));
      }
    }
  });

  it('refuses to resume with another stepsPerEpoch than the checkpoint was trained with', async () => {
    const straight = await trainStream({ stepsPerEpoch: 3 });
    await expect(trainStream({ resumeFrom: roundTrip(straight.steps.get('step-4')) })).rejects.toThrow(
      'the checkpoint was trained with stepsPerEpoch 3, this fit uses no stepsPerEpoch (an epoch is a pass of the data); use the same to resume exactly',
    );
    await expect(
      trainStream({ stepsPerEpoch: 2, resumeFrom: roundTrip(straight.steps.get('step-4')) }),
    ).rejects.toThrow('with stepsPerEpoch 3, this fit uses stepsPerEpoch 2');
  });

  it('stepsPerEpoch over a map-style dataset resumes bit for bit too', async () => {
    const train = async (resumeFrom?: Checkpoint) => {
      const steps = new MemoryCheckpointStore();
      const trained = model(resumeFrom ? 9 : 1);
      await trained.fit(
        new DataLoader(new TensorDataset(points.inputs, points.targets), { batchSize: 16, shuffle: true, seed: 2 }),
        {
          optimizer: new Adam(),
          loss: 'softmaxCrossEntropy',
          epochs: 4,
          stepsPerEpoch: 3,
          resumeFrom,
          callbacks: [new ModelCheckpoint({ store: steps, everySteps: 1 })],
        },
      );
      return { trained, steps };
    };
    const straight = await train();
    const resumed = await train(roundTrip(straight.steps.get('step-5')));
    expect(weights(resumed.trained)).toEqual(weights(straight.trained));
  });

  it('a one-shot source trains one epoch and then says how to make it re-readable; an empty stream is refused', async () => {
    const rows = blobs(8, { seed: 1 });
    const once = (function* () {
      for (let row = 0; row < 8; row++)
        yield {
          input: rows.inputs.slice([row, row + 1]).reshape([4]),
          target: rows.targets.slice([row, row + 1]).reshape([]),
        };
    })();
    const oneShot = new DataLoader(new IterableDataset(once), { batchSize: 4 });
    await expect(
      model().fit(oneShot, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 2 }),
    ).rejects.toThrow('this source can be read only once');
    const empty = new DataLoader(new IterableDataset<Sample>(() => []), { batchSize: 4 });
    await expect(
      model().fit(empty, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 1, stepsPerEpoch: 2 }),
    ).rejects.toThrow('a pass of the training data yielded no batches, so the 2 steps of an epoch cannot be filled');
    await expect(model().fit(empty, { optimizer: new Adam(), loss: 'softmaxCrossEntropy', epochs: 1 })).rejects.toThrow(
      'a pass of the training data yielded no batches (an empty stream',
    );
  });

  it('validates a stream as validation data, with evaluateAsync reading streams too', async () => {
    const trained = model();
    const history = await trained.fit(points, {
      optimizer: new Adam(),
      loss: 'softmaxCrossEntropy',
      epochs: 2,
      metrics: ['accuracy'],
      validationData: streamLoader(),
    });
    expect(history.values('validationAccuracy').every((value) => value >= 0 && value <= 1)).toBe(true);
    const fromStream = await trained.evaluateAsync(
      new DataLoader(
        csvDataset(() => file, { label: 'label', numClasses: 3 }),
        { batchSize: 50 },
      ),
      { metrics: ['accuracy'], loss: 'softmaxCrossEntropy' },
    );
    const fromTensors = trained.evaluate(points, { metrics: ['accuracy'], loss: 'softmaxCrossEntropy', batchSize: 50 });
    expect(fromStream.accuracy).toBe(fromTensors.accuracy);
    expect(fromStream.loss).toBeCloseTo(fromTensors.loss, 5);
    expect(() => trained.evaluate(streamLoader(), { metrics: ['accuracy'] })).toThrow(
      'the data is a stream (a DataLoader over an IterableDataset); use evaluateAsync',
    );
  });
});
