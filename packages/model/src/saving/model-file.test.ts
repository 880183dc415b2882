import {
  Bidirectional,
  FinalState,
  GRU,
  InitialState,
  LSTM,
  MultiHeadAttention,
  PositionalEmbedding,
  SequenceMask,
  SimpleRNN,
  SinusoidalPositionalEncoding,
  TransposedEmbedding,
  Add,
  AvgPool2D,
  Average,
  BatchNorm,
  Concatenate,
  Conv2D,
  defaultLayerRegistry,
  Dense,
  Dropout,
  ELU,
  Embedding,
  Flatten,
  GELU,
  GlobalAveragePooling2D,
  LayerNorm,
  LeakyReLU,
  Maximum,
  MaxPool2D,
  Multiply,
  ReLU,
  Reshape,
  Sigmoid,
  Softmax,
  Subtract,
  Tanh,
} from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { decodeSafetensors, encodeCheckpoint, encodeSafetensors } from '@annet/serialization';
import { AnnetError, createRng, randomUniform, tensor, type Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, ModelCheckpoint } from '../callbacks/model-checkpoint.js';
import { apply } from '../graph/apply.js';
import { Model } from '../graph/model.js';
import { input } from '../graph/symbolic-tensor.js';
import { Sequential } from '../sequential/sequential.js';
import { loadModel, saveModel, type SavedModel } from './model-file.js';

/** Every parameter and buffer set to values no constructor draws (positive, so running variances stay valid). */
function scramble<M extends SavedModel>(model: M, seed: number): M {
  const rng = createRng(seed);
  for (const array of [...model.parameters(), ...model.buffers()])
    for (let index = 0; index < array.value.length; index++) array.value[index] = rng.uniform(0.5, 1.5);
  return model;
}

/** Every single-input layer but Embedding, on [N, 2, 8, 8] images. */
function imageStack(): Sequential {
  return new Sequential(
    [
      new Conv2D(2, 3, 3, { padding: 'same', activation: 'relu' }),
      new BatchNorm(3),
      new ReLU(),
      new Conv2D(3, 3, 3, { dilation: 2, padding: 2, stride: 1 }),
      new MaxPool2D(2),
      new AvgPool2D(2),
      new Flatten(),
      new Dense(12, 6, { activation: 'tanh' }),
      new LayerNorm(6),
      new Dropout(0.5),
      new GELU({ approximate: 'tanh' }),
      new LeakyReLU({ negativeSlope: 0.2 }),
      new ELU({ alpha: 0.7 }),
      new Sigmoid(),
      new Tanh(),
      new Reshape([2, 3]),
      new Softmax(),
    ],
    { name: 'image_stack', inputShape: [2, 8, 8] },
  );
}

function tokenStack(): Sequential {
  return new Sequential([new Embedding(10, 4), new Flatten(), new Dense(12, 2)], { name: 'tokens', inputShape: [3] });
}

/** Every merge layer, and GlobalAveragePooling2D, in one graph with two inputs. */
function mergeGraph(): Model {
  const x = input({ name: 'x', shape: [6] });
  const image = input({ name: 'image', shape: [2, 4, 4] });
  const a = apply(new Dense(6, 4), x);
  const b = apply(new Dense(6, 4), x);
  const pooled = apply(new Dense(2, 4), apply(new GlobalAveragePooling2D(), image));
  const merged = [new Add(), new Subtract(), new Multiply(), new Average(), new Maximum()].map((layer) =>
    apply(layer, [a, layer instanceof Subtract ? b : pooled]),
  );
  return new Model({
    inputs: [x, image],
    outputs: { y: apply(new Dense(20, 3), apply(new Concatenate(), merged)) },
    name: 'merges',
  });
}

/** Every recurrent and attention layer: masked tokens, RNN, bidirectional GRU, LSTM, positions, causal attention, a head tied to the embedding. */
function sequenceGraph(): Model {
  const tokens = input({ name: 'tokens', shape: [4], dtype: 'int32' });
  const lengths = input({ name: 'lengths', shape: [], dtype: 'int32' });
  const wte = new Embedding(10, 6, { name: 'wte' });
  const masked = apply(new SequenceMask(), [apply(wte, tokens), lengths]);
  const encoded = apply(
    new LSTM(6, 6, { returnSequences: true }),
    apply(
      new Bidirectional(new GRU(6, 3, { returnSequences: true })),
      apply(new SimpleRNN(6, 6, { returnSequences: true }), masked),
    ),
  );
  // The LSTM's h_n starts the GRU (FinalState → InitialState).
  const recurrent = apply(
    new GRU(6, 6, { returnSequences: true }),
    apply(new InitialState(), [encoded, apply(new FinalState(6), encoded)]),
  );
  const positioned = apply(new SinusoidalPositionalEncoding(4, 6), apply(new PositionalEmbedding(4, 6), recurrent));
  const attended = apply(new MultiHeadAttention(6, { numHeads: 2, causal: true }), positioned);
  return new Model({
    inputs: [tokens, lengths],
    outputs: { logits: apply(new TransposedEmbedding(wte, { name: 'lm_head' }), attended) },
    name: 'sequences',
  });
}

const images = randomUniform([5, 2, 8, 8], createRng(1), { low: -1, high: 1 });
const tokens = tensor(
  [
    [1, 2, 3],
    [9, 0, 4],
  ],
  { dtype: 'int32' },
);
const sequenceInputs = {
  tokens: tensor(
    [
      [1, 2, 3, 4],
      [9, 0, 4, 0],
      [5, 5, 5, 5],
    ],
    { dtype: 'int32' },
  ),
  lengths: tensor([4, 2, 3], { dtype: 'int32' }),
};
const graphInputs = {
  x: randomUniform([5, 6], createRng(2), { low: -1, high: 1 }),
  image: randomUniform([5, 2, 4, 4], createRng(3), { low: -1, high: 1 }),
};

function errorOf(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    if (error instanceof AnnetError) return error;
    throw error;
  }
  throw new Error('expected an AnnetError');
}

describe('saveModel / loadModel', () => {
  it('the round trip below uses every layer of the default registry', () => {
    const used = new Set(
      [imageStack(), tokenStack(), mergeGraph(), sequenceGraph()].flatMap((model) =>
        model.layers.map((layer) => layer.getConfig().className as string),
      ),
    );
    expect([...used].sort()).toEqual(Object.keys(defaultLayerRegistry).sort());
  });

  it('round-trips every layer: same config, same weights bit for bit, same predictions (Sequential and graph)', () => {
    const cases: Array<[SavedModel, (model: SavedModel) => Tensor]> = [
      [scramble(imageStack(), 4), (model) => (model as Sequential).predict(images)],
      [scramble(tokenStack(), 5), (model) => (model as Sequential).predict(tokens)],
      [scramble(mergeGraph(), 6), (model) => (model as Model).predict(graphInputs)],
      [scramble(sequenceGraph(), 8), (model) => (model as Model).predict(sequenceInputs)],
    ];
    for (const [model, predict] of cases) {
      const copy = loadModel(saveModel(model), defaultLayerRegistry);
      expect(copy.constructor).toBe(model.constructor);
      expect(copy.getConfig()).toEqual(model.getConfig());
      expect(copy.isInitialized).toBe(true);
      copy
        .parameters()
        .forEach((parameter, index) =>
          expect(Array.from(parameter.value), parameter.name).toEqual(Array.from(model.parameters()[index].value)),
        );
      copy
        .buffers()
        .forEach((buffer, index) =>
          expect(Array.from(buffer.value), buffer.name).toEqual(Array.from(model.buffers()[index].value)),
        );
      expect(Array.from(predict(copy).data)).toEqual(Array.from(predict(model).data));
    }
  });

  it('writes a plain safetensors file: model.<name> tensors and the architecture as JSON metadata', () => {
    const model = scramble(tokenStack(), 7);
    const { tensors, metadata } = decodeSafetensors(saveModel(model));
    expect(Object.keys(tensors).sort()).toEqual([
      'model.dense_1.biases',
      'model.dense_1.weights',
      'model.embedding_1.embeddings',
    ]);
    expect(tensors['model.dense_1.weights'].shape).toEqual([12, 2]);
    expect(metadata.format).toBe('annet-model');
    expect(JSON.parse(metadata.architecture)).toEqual(model.getConfig());
  });

  it("loads a full training checkpoint written by fit's ModelCheckpoint, ignoring the optimizer", async () => {
    const model = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)], { inputShape: [3] });
    const store = new MemoryCheckpointStore((moment) => `epoch-${moment.epoch}`);
    const inputs = randomUniform([16, 3], createRng(8));
    const targets = randomUniform([16, 2], createRng(9));
    await model.fit(
      { inputs, targets },
      {
        optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }),
        loss: 'meanSquaredError',
        epochs: 2,
        batchSize: 4,
        seed: 1,
        callbacks: [new ModelCheckpoint({ store })],
      },
    );
    const checkpoint = store.get('epoch-2')!;
    expect(Object.keys(checkpoint.tensors).some((name) => name.startsWith('optimizer.'))).toBe(true);
    const copy = loadModel(encodeCheckpoint(checkpoint), { Dense, ReLU }) as Sequential;
    expect(Array.from(copy.predict(inputs).data)).toEqual(Array.from(model.predict(inputs).data));
  });

  it("refuses an unknown layer class, naming it and listing the registry's classes", () => {
    const error = errorOf(() => loadModel(saveModel(scramble(imageStack(), 1)), { Dense, ReLU }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('unknown layer className "Conv2D"; the registry knows Dense, ReLU');
  });

  it('refuses missing, extra and mis-shaped weights in one error, and files that are not annet models', () => {
    const model = scramble(tokenStack(), 2);
    const { tensors, metadata } = decodeSafetensors(saveModel(model));
    const { 'model.dense_1.biases': _dropped, ...rest } = tensors;
    const broken = encodeSafetensors(
      {
        ...rest,
        'model.dense_1.weights': tensors['model.dense_1.weights'].reshape([2, 12]),
        'model.dense_9.weights': tensors['model.dense_1.biases'],
      },
      metadata,
    );
    const error = errorOf(() => loadModel(broken, defaultLayerRegistry, { source: 'broken.safetensors' }));
    expect(error.code).toBe('INVALID_STATE');
    expect(error.message).toBe(
      'loadModel: broken.safetensors: the weights do not fit the architecture: model.dense_1.weights has shape [2,12] in the file, [12,2] in the model; model.dense_1.biases is missing; model.dense_9.weights is not a weight of the model',
    );
    expect(errorOf(() => loadModel(encodeSafetensors(tensors), defaultLayerRegistry)).message).toContain(
      "not an annet model file: its metadata format is null, expected 'annet-model'",
    );
    expect(errorOf(() => loadModel(new Uint8Array([1, 2, 3]), defaultLayerRegistry)).code).toBe('PARSE_ERROR');
    expect(
      errorOf(() => loadModel(encodeSafetensors(tensors, { ...metadata, formatVersion: '9' }), defaultLayerRegistry))
        .code,
    ).toBe('UNSUPPORTED');
  });
});
