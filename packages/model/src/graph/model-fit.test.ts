import { Add, BatchNorm, Concatenate, defaultLayerRegistry, Dense, Dropout, ReLU } from '@annet/layers';
import { Adam, cosineSchedule, SGD } from '@annet/optimizers';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { readModelState, writeModelState } from '../sequential/model-state.js';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';
import { apply } from './apply.js';
import { Model } from './model.js';
import { input } from './symbolic-tensor.js';

// 120 samples of 4 features in 3 classes; a second input (the first feature squared) and a second
// target (the sum of the features) make a two-input, two-output problem.
const data = blobs(120, { seed: 4 });
const extra = new Tensor(
  Float32Array.from({ length: 120 }, (_, row) => (data.inputs.data[row * 4] as number) ** 2),
  [120, 1],
);
const sums = new Tensor(
  Float32Array.from({ length: 120 }, (_, row) =>
    [0, 1, 2, 3].reduce((sum, column) => sum + (data.inputs.data[row * 4 + column] as number), 0),
  ),
  [120, 1],
);
const twoInputData = { inputs: { features: data.inputs, extra }, targets: { digit: data.targets, total: sums } };

/** Two inputs, a residual block with a shared Dense, BatchNorm and Dropout, two heads. */
function twoHeaded(seed: number): Model {
  const features = input({ name: 'features', shape: [4] });
  const scalar = input({ name: 'extra', shape: [1] });
  const joined = apply(new Concatenate(), [features, scalar]);
  const hidden = apply(new ReLU(), apply(new BatchNorm(8), apply(new Dense(5, 8), joined)));
  const shared = new Dense(8, 8, { name: 'shared' });
  const block = apply(new Add(), [hidden, apply(shared, apply(new ReLU(), apply(shared, hidden)))]);
  const dropped = apply(new Dropout(0.3), block);
  return new Model({
    inputs: [features, scalar],
    outputs: { digit: apply(new Dense(8, 3), dropped), total: apply(new Dense(8, 1), dropped) },
    name: 'two_heads',
  }).initialize(seed);
}

const fitOptions = () => ({
  optimizer: new Adam({ learningRate: cosineSchedule({ initialLearningRate: 0.02, totalSteps: 24 }) }),
  loss: { digit: 'softmaxCrossEntropy', total: 'meanSquaredError' },
  lossWeights: { total: 0.5 },
  metrics: { digit: ['accuracy'] },
  epochs: 3,
  batchSize: 16,
  seed: 3,
  validationSplit: 0.25,
});

function bytesOf(tensor: Tensor): Uint8Array {
  const contiguous = tensor.contiguous().data;
  return new Uint8Array(contiguous.buffer, contiguous.byteOffset, contiguous.byteLength);
}

describe('Model.fit with several inputs and outputs', () => {
  it("logs the weighted total loss, each output's loss and per-output metrics, and learns", async () => {
    const model = twoHeaded(1);
    const history = await model.fit(twoInputData, fitOptions());
    const last = history.epochs.at(-1)!;
    expect(Object.keys(last)).toEqual(
      expect.arrayContaining([
        'loss',
        'loss.digit',
        'loss.total',
        'accuracy.digit',
        'validationLoss',
        'validationLoss.digit',
        'validationAccuracy.digit',
      ]),
    );
    expect(last).not.toHaveProperty('accuracy.total');
    expect(history.epochs[2]['loss.digit']).toBeLessThan(history.epochs[0]['loss.digit']);
    // evaluate defaults to fit's losses and weights: loss = 1·loss.digit + 0.5·loss.total.
    const evaluation = model.evaluate(twoInputData);
    expect(evaluation.loss).toBeCloseTo(evaluation['loss.digit'] + 0.5 * evaluation['loss.total'], 5);
    // Three balanced classes: chance is 1/3.
    expect(evaluation['accuracy.digit']).toBeGreaterThan(0.5);
  });

  it('takes inputs and targets as arrays in name order, training exactly as with records', async () => {
    const byName = twoHeaded(1);
    const byPosition = twoHeaded(1);
    const options = { ...fitOptions(), validationSplit: undefined, epochs: 1 };
    await byName.fit(twoInputData, options);
    await byPosition.fit(
      { inputs: [data.inputs, extra], targets: [data.targets, sums] },
      { ...fitOptions(), validationSplit: undefined, epochs: 1 },
    );
    byName
      .parameters()
      .forEach((parameter, index) =>
        expect(Array.from(byPosition.parameters()[index].value), parameter.name).toEqual(Array.from(parameter.value)),
      );
  });

  it("a loss weight scales that output's gradient (weight 2 with SGD equals twice the learning rate, bit for bit)", async () => {
    const build = () => {
      const x = input({ name: 'x', shape: [4] });
      return new Model({
        inputs: x,
        outputs: { digit: apply(new Dense(8, 3), apply(new ReLU(), apply(new Dense(4, 8), x))) },
      }).initialize(2);
    };
    const weighted = build();
    const plain = build();
    await weighted.fit(data, {
      optimizer: new SGD({ learningRate: 0.05 }),
      loss: 'softmaxCrossEntropy',
      lossWeights: { digit: 2 },
      epochs: 2,
      batchSize: 16,
      shuffle: false,
    });
    await plain.fit(data, {
      optimizer: new SGD({ learningRate: 0.1 }),
      loss: 'softmaxCrossEntropy',
      epochs: 2,
      batchSize: 16,
      shuffle: false,
    });
    // Multiplying by 2 is exact in floating point, so (2g)·η and g·(2η) are the same numbers.
    weighted
      .parameters()
      .forEach((parameter, index) =>
        expect(Array.from(parameter.value), parameter.name).toEqual(Array.from(plain.parameters()[index].value)),
      );
  });

  it('trains an MLP built as a graph bit-identically to the same Sequential (one engine, one training loop)', async () => {
    const sequential = new Sequential([new Dense(4, 16), new ReLU(), new Dropout(0.2), new Dense(16, 3)], {
      inputShape: [4],
    }).initialize(9);
    const x = input({ name: 'input', shape: [4] });
    const graph = new Model({
      inputs: x,
      outputs: apply(new Dense(16, 3), apply(new Dropout(0.2), apply(new ReLU(), apply(new Dense(4, 16), x)))),
    }).initialize(9);
    const options = () => ({
      optimizer: new Adam({ learningRate: 0.01 }),
      loss: 'softmaxCrossEntropy',
      metrics: ['accuracy'],
      epochs: 3,
      batchSize: 16,
      seed: 5,
      validationSplit: 0.2,
    });
    const sequentialHistory = await sequential.fit(data, options());
    const graphHistory = await graph.fit(data, options());
    expect(graph.parameters().map((parameter) => parameter.name)).toEqual(
      sequential.parameters().map((parameter) => parameter.name),
    );
    const bytes = (parameter: { value: Float32Array | Float64Array; shape: readonly number[] }) =>
      bytesOf(new Tensor(parameter.value, parameter.shape));
    graph
      .parameters()
      .forEach((parameter, index) =>
        expect(bytes(parameter), parameter.name).toEqual(bytes(sequential.parameters()[index])),
      );
    const figures = (history: typeof graphHistory) =>
      history.epochs.map(({ loss, accuracy, validationLoss, validationAccuracy }) => ({
        loss,
        accuracy,
        validationLoss,
        validationAccuracy,
      }));
    expect(figures(graphHistory)).toEqual(figures(sequentialHistory));
  });

  it('refuses losses and metrics for outputs that do not exist, and batches without a named input', async () => {
    await expect(
      twoHeaded(1).fit(twoInputData, { ...fitOptions(), loss: { digit: 'softmaxCrossEntropy' } }),
    ).rejects.toThrow('no loss for output "total"');
    await expect(twoHeaded(1).fit(twoInputData, { ...fitOptions(), lossWeights: { box: 1 } })).rejects.toThrow(
      'lossWeights names "box", which is not an output; the outputs are digit, total',
    );
    await expect(twoHeaded(1).fit(twoInputData, { ...fitOptions(), metrics: { box: ['accuracy'] } })).rejects.toThrow(
      'metrics are given for "box"',
    );
    await expect(
      twoHeaded(1).fit(
        { inputs: { features: data.inputs }, targets: twoInputData.targets },
        { ...fitOptions(), validationSplit: undefined },
      ),
    ).rejects.toThrow('a batch has no input tensor named "extra"; expected { features, extra }');
  });
});

describe('Model checkpoints and exact resume', () => {
  async function train(resumeFrom?: Checkpoint) {
    const steps = new MemoryCheckpointStore((moment) => `step-${moment.step}`);
    const ends = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
    const model = twoHeaded(resumeFrom ? 999 : 7);
    const history = await model.fit(twoInputData, {
      ...fitOptions(),
      callbacks: [
        new ModelCheckpoint({ store: steps, everySteps: 1, name: 'everyStep' }),
        new ModelCheckpoint({ store: ends, everyEpochs: 1, name: 'everyEpoch' }),
      ],
      resumeFrom,
    });
    return { steps, ends, history, model };
  }
  const roundTrip = (checkpoint: Checkpoint | undefined) => decodeCheckpoint(encodeCheckpoint(checkpoint!));
  const expectSame = (actual: Checkpoint, expected: Checkpoint) => {
    const names = Object.keys(expected.tensors)
      .filter((name) => name.startsWith('model.') || name.startsWith('optimizer.'))
      .sort();
    expect(names.length).toBeGreaterThan(20);
    expect(
      Object.keys(actual.tensors)
        .filter((name) => name.startsWith('model.') || name.startsWith('optimizer.'))
        .sort(),
    ).toEqual(names);
    for (const name of names) expect(bytesOf(actual.tensors[name]), name).toEqual(bytesOf(expected.tensors[name]));
    expect(actual.rng).toEqual(expected.rng);
    expect(actual.dataLoader).toEqual(expected.dataLoader);
  };
  const figures = (history: { epochs: readonly Record<string, number>[] }) =>
    history.epochs.map((logs) => ({ ...logs, seconds: 0, samplesPerSecond: 0 }));

  it('names every parameter once and stably, shared layers included', () => {
    const names = twoHeaded(1)
      .parameters()
      .map((parameter) => parameter.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'dense_1.weights',
      'dense_1.biases',
      'batch_norm_1.gamma',
      'batch_norm_1.beta',
      'shared.weights',
      'shared.biases',
      'dense_2.weights',
      'dense_2.biases',
      'dense_3.weights',
      'dense_3.biases',
    ]);
  });

  it('resumes mid-epoch bit for bit (same batches, dropout masks, running statistics, per-output metrics)', async () => {
    const uninterrupted = await train();
    // Step 8 is the third batch of the second epoch (6 batches of 90 training samples per epoch).
    const checkpoint = roundTrip(uninterrupted.steps.get('step-8'));
    expect(checkpoint.epoch).toBe(1);
    const resumed = await train(checkpoint);
    expectSame(resumed.ends.get('epoch-3')!, uninterrupted.ends.get('epoch-3')!);
    expect(figures(resumed.history)).toEqual(figures(uninterrupted.history));
  });

  it('resumes at an epoch boundary bit for bit', async () => {
    const uninterrupted = await train();
    const resumed = await train(roundTrip(uninterrupted.ends.get('epoch-1')));
    expectSame(resumed.ends.get('epoch-3')!, uninterrupted.ends.get('epoch-3')!);
    expect(figures(resumed.history)).toEqual(figures(uninterrupted.history));
  });

  it('round-trips through getConfig/fromConfig and its checkpoint weights, predicting the same', async () => {
    const { model } = await train();
    const copy = Model.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), defaultLayerRegistry);
    expect(copy.getConfig()).toEqual(model.getConfig());
    const state = readModelState(model);
    writeModelState(copy, state.tensors, state.rng, 'test');
    const inputs = { features: data.inputs, extra };
    const expected = model.predictNamed(inputs);
    const actual = copy.predictNamed(inputs);
    expect(Array.from(actual.digit.data)).toEqual(Array.from(expected.digit.data));
    expect(Array.from(actual.total.data)).toEqual(Array.from(expected.total.data));
  });

  it('summary shows each call with its inbound tensors', () => {
    const summary = twoHeaded(1).summary();
    expect(summary).toContain('Model "two_heads"');
    expect(summary).toMatch(/concatenate_1 \(Concatenate\)\s+\[batch, 5\]\s+0\s+features, extra/);
    expect(summary).toMatch(/shared@1 \(Dense\)\s+\[batch, 8\]\s+0\s+relu_2/);
    expect(summary).toMatch(/add_1 \(Add\)\s+\[batch, 8\]\s+0\s+relu_1, shared@1/);
    expect(summary).toContain('Outputs: digit = dense_2, total = dense_3');
  });
});
