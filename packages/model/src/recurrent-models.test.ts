import {
  Bidirectional,
  defaultLayerRegistry,
  Dense,
  Embedding,
  FinalState,
  GRU,
  InitialState,
  LSTM,
  SequenceMask,
  SimpleRNN,
  softmaxCrossEntropy,
  type LossOptions,
} from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@annet/serialization';
import { createRng, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, ModelCheckpoint } from './callbacks/model-checkpoint.js';
import { apply } from './graph/apply.js';
import { Model } from './graph/model.js';
import { input } from './graph/symbolic-tensor.js';
import { TokenAccuracy, tokenAccuracy } from './metrics/token-accuracy.js';
import { Sequential } from './sequential/sequential.js';
import { checkGraphGradients, normalTensor } from './testing/graph-gradient-check.js';

describe('TokenAccuracy', () => {
  it('counts only the positions not labelled ignoreIndex (hand-derived)', () => {
    // Arg-maxes per position: 0, 1, 0 | 1, 1, 0; labels 0, 0, -1 | 1, -1, 0 → hits 0✓ 1✗ | 1✓ 0✓ of 4 counted.
    const logits = new Tensor(
      Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.1, 0.9, 0.3, 0.7, 0.5, 0.4]),
      [2, 3, 2],
    );
    const tags = new Tensor(Int32Array.from([0, 0, -1, 1, -1, 0]), [2, 3]);
    expect(tokenAccuracy(logits, tags, { ignoreIndex: -1 })).toBe(0.75);
    const metric = new TokenAccuracy({ ignoreIndex: -1 });
    metric.update(logits, tags);
    const resumed = new TokenAccuracy({ ignoreIndex: -1 });
    resumed.setState(JSON.parse(JSON.stringify(metric.state())));
    resumed.update(logits, tags);
    expect(resumed.result()).toBe(0.75);
    expect(() => tokenAccuracy(logits, tags)).toThrow(
      /tokenAccuracy: target -1 at position 2 is not a class index in \[0, 2\)/,
    );
    expect(() => tokenAccuracy(logits, new Tensor(Int32Array.from([0, 1]), [2]))).toThrow(
      /expected predictions \[\.\.\., classes\].*got predictions \[2,3,2\] and targets \[2\]/,
    );
  });
});

describe('recurrent layers in a graph model', () => {
  it('stack with a lengths input (SequenceMask → Bidirectional GRU → LSTM → Dense) and pass a float64 gradient check', () => {
    const steps = input({ name: 'steps', shape: [5, 3], dtype: 'float64' });
    const lengths = input({ name: 'lengths', shape: [], dtype: 'int32' });
    const masked = apply(new SequenceMask(), [steps, lengths]);
    const both = apply(
      new Bidirectional(new GRU(3, 4, { returnSequences: true, dtype: 'float64' }), { merge: 'sum' }),
      masked,
    );
    const last = apply(new LSTM(4, 3, { dtype: 'float64' }), both);
    const model = new Model({
      inputs: [steps, lengths],
      outputs: { score: apply(new Dense(3, 2, { dtype: 'float64' }), last) },
    }).initialize(3);
    expect(model.summary()).toMatch(/bidirectional_1 \(Bidirectional\)\s+\[batch, 5, 4\]/);
    const inputs = { steps: normalTensor([3, 5, 3], 1), lengths: new Tensor(Int32Array.from([5, 2, 3]), [3]) };
    const errors = checkGraphGradients(model, inputs);
    expect(errors.map((error) => error.name)).toContain('bidirectional_1.weightHH_reverse');
    // Lengths are integers: a central difference would truncate 5 − ε to 4 and change a length.
    for (const error of errors.filter((entry) => entry.name !== 'input lengths')) {
      expect(error.relativeError, error.name).toBeLessThan(1e-6);
      expect(error.largest, error.name).toBeGreaterThan(0);
    }
    // The padding of sample 1 does not matter.
    const before = Array.from(model.predict(inputs).data);
    const changed = inputs.steps.clone();
    for (let step = 2; step < 5; step++)
      for (let feature = 0; feature < 3; feature++) changed.data[(1 * 5 + step) * 3 + feature] = 50;
    expect(Array.from(model.predict({ steps: changed, lengths: inputs.lengths }).data)).toEqual(before);
  });

  it("pass states between layers: an encoder LSTM's h_n and c_n (FinalState) start a decoder (InitialState); float64 gradient check through the states", () => {
    const source = input({ name: 'source', shape: [4, 3], dtype: 'float64' });
    const target = input({ name: 'target', shape: [3, 2], dtype: 'float64' });
    const encoder = new LSTM(3, 4, { dtype: 'float64', name: 'encoder' });
    const encoded = apply(encoder, source);
    const h = apply(new FinalState(4), encoded);
    const c = apply(new FinalState(4, { state: 1 }), encoded);
    const decoded = apply(
      new LSTM(2, 4, { returnSequences: true, dtype: 'float64', name: 'decoder' }),
      apply(new InitialState(), [target, h, c]),
    );
    const model = new Model({
      inputs: [source, target],
      outputs: { y: apply(new Dense(4, 2, { dtype: 'float64' }), decoded) },
    }).initialize(5);
    const inputs = { source: normalTensor([2, 4, 3], 1), target: normalTensor([2, 3, 2], 2) };
    const errors = checkGraphGradients(model, inputs);
    expect(errors.map((error) => error.name)).toEqual(
      expect.arrayContaining(['input source', 'encoder.weightIH', 'encoder.weightHH']),
    );
    for (const error of errors) {
      expect(error.relativeError, error.name).toBeLessThan(1e-6);
      expect(error.largest, error.name).toBeGreaterThan(0);
    }
    // The encoder's states are the decoder's start: changing the source changes the output.
    const before = Array.from(model.predict(inputs).data);
    const other = inputs.source.clone();
    other.data[0] += 1;
    expect(Array.from(model.predict({ source: other, target: inputs.target }).data)).not.toEqual(before);
    expect(Model.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), defaultLayerRegistry).getConfig()).toEqual(
      model.getConfig(),
    );
  });

  it('pass all four states of a Bidirectional LSTM through InitialState and FinalState; float64 gradient check', () => {
    const steps = input({ name: 'steps', shape: [4, 3], dtype: 'float64' });
    const state = input({ name: 'state', shape: [2], dtype: 'float64' });
    const bidirectional = new Bidirectional(new LSTM(3, 2, { returnSequences: true, dtype: 'float64' }));
    const output = apply(bidirectional, apply(new InitialState(), [steps, state, state, state, state]));
    const backwardCell = apply(new FinalState(2, { state: 3 }), output);
    const model = new Model({ inputs: [steps, state], outputs: { y: output, c: backwardCell } }).initialize(2);
    const errors = checkGraphGradients(model, {
      steps: normalTensor([2, 4, 3], 3),
      state: normalTensor([2, 2], 4, 0.5),
    });
    expect(errors.map((error) => error.name)).toContain('input state');
    for (const error of errors) {
      expect(error.relativeError, error.name).toBeLessThan(1e-6);
      expect(error.largest, error.name).toBeGreaterThan(0);
    }
  });

  it('rebuilds from its config', () => {
    const steps = input({ name: 'steps', shape: [4, 2] });
    const lengths = input({ name: 'lengths', shape: [], dtype: 'int32' });
    const output = apply(new SimpleRNN(2, 3), apply(new SequenceMask(), [steps, lengths]));
    const model = new Model({ inputs: [steps, lengths], outputs: { y: output } }).initialize(1);
    const copy = Model.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), defaultLayerRegistry);
    expect(copy.getConfig()).toEqual(model.getConfig());
  });
});

// A tagging task: the tag of a token is the token before it (0 for the first), over padded
// sentences of 2-6 tokens from a vocabulary of 1-6 (0 pads; padded tags are -1).
function taggingData(count: number, seed: number): { ids: Tensor; tags: Tensor } {
  const rng = createRng(seed);
  const time = 6;
  const ids = new Int32Array(count * time);
  const tags = new Int32Array(count * time).fill(-1);
  for (let sample = 0; sample < count; sample++) {
    const length = 2 + Math.floor(rng.uniform(0, 5));
    for (let step = 0; step < length; step++) {
      ids[sample * time + step] = 1 + Math.floor(rng.uniform(0, 6));
      tags[sample * time + step] = step === 0 ? 0 : ids[sample * time + step - 1];
    }
  }
  return { ids: new Tensor(ids, [count, time]), tags: new Tensor(tags, [count, time]) };
}

const ignorePadding = { ignoreIndex: -1 } as const;
const maskedLoss = (predictions: Tensor, targets: Tensor, options?: LossOptions) =>
  softmaxCrossEntropy(predictions, targets, { ...options, ...ignorePadding });

function tagger(seed: number): Sequential {
  return new Sequential([
    new Embedding(7, 8, { maskZero: true, paddingIndex: 0 }),
    new Bidirectional(new LSTM(8, 12, { returnSequences: true })),
    new Dense(24, 7),
  ]).initialize(seed);
}

function bytesOf(tensor: Tensor): Uint8Array {
  const data = tensor.contiguous().data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

describe('a Sequential tagger: Embedding({ maskZero }) → Bidirectional(LSTM) → Dense', () => {
  const data = taggingData(96, 5);
  const fit = (model: Sequential, resumeFrom?: Checkpoint, store?: MemoryCheckpointStore) =>
    model.fit(
      { inputs: data.ids, targets: data.tags },
      {
        optimizer: new Adam({ learningRate: 0.05 }),
        loss: maskedLoss,
        metrics: [new TokenAccuracy(ignorePadding)],
        epochs: 12,
        batchSize: 16,
        seed: 2,
        callbacks: store === undefined ? [] : [new ModelCheckpoint({ store, everySteps: 1 })],
        resumeFrom,
      },
    );

  it('learns the task over the real tokens, and resumes mid-epoch bit for bit', async () => {
    const store = new MemoryCheckpointStore((moment) => `step-${moment.step}`);
    const model = tagger(1);
    const history = await fit(model, undefined, store);
    expect(history.epochs[0].tokenAccuracy).toBeLessThan(0.6);
    expect(history.epochs[11].tokenAccuracy).toBeGreaterThan(0.9);
    const middle = decodeCheckpoint(encodeCheckpoint(store.get('step-27')!));
    const resumed = tagger(999);
    await fit(resumed, middle);
    const names = model.parameters().map((parameter) => parameter.name);
    expect(names).toContain('bidirectional_1.weightIH_reverse');
    model
      .parameters()
      .forEach((parameter, index) =>
        expect(bytesOf(new Tensor(resumed.parameters()[index].value, parameter.shape)), parameter.name).toEqual(
          bytesOf(new Tensor(parameter.value, parameter.shape)),
        ),
      );
  });
});
