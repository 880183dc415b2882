import {
  Add,
  AvgPool2D,
  Average,
  BatchNorm,
  Concatenate,
  Conv2D,
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
import { apply, input, Model, Sequential } from '@annet/model';
import { createRng, randomUniform, Tensor } from '@annet/tensor';
import { buildModel } from '../../../../apps/train-demo/src/models.js';

/** Test-only models that together hold every layer with an ONNX and (most) with a torch twin. */

/** Running statistics made non-trivial (means in ±0.5, variances in [0.5, 1.5]) so inference-form BatchNorm is really exercised. */
export function withRunningStatistics<M extends Sequential | Model>(model: M, seed: number): M {
  const rng = createRng(seed);
  for (const buffer of model.buffers()) {
    const variance = buffer.name.endsWith('runningVariance');
    for (let index = 0; index < buffer.value.length; index++)
      buffer.value[index] = variance ? rng.uniform(0.5, 1.5) : rng.uniform(-0.5, 0.5);
  }
  for (const parameter of model.parameters()) {
    // γ, β and biases start at 1 and 0: move them too, so a swapped γ/β or a dropped bias shows.
    if (/\.(gamma|beta|biases)$/.test(parameter.name))
      for (let index = 0; index < parameter.value.length; index++) parameter.value[index] += rng.uniform(-0.3, 0.3);
  }
  return model;
}

/** Every single-input layer but Embedding, on [N, 2, 9, 9] images (odd size: 'same' pads asymmetrically). */
export function everyImageLayer(options: { approximateGelu?: boolean } = {}): Sequential {
  return new Sequential(
    [
      new Conv2D(2, 4, 3, { padding: 'same', activation: 'relu' }),
      new BatchNorm(4),
      new Conv2D(4, 4, [3, 2], { stride: [2, 1], dilation: [1, 2], padding: 1, useBias: false, activation: 'tanh' }),
      new MaxPool2D(2, { stride: 1, padding: 'same' }),
      new AvgPool2D(2, { padding: 'same' }),
      new AvgPool2D(3, { stride: 1, padding: 1, countPadding: true }),
      new Flatten(),
      new Dense(4 * 3 * 5, 12, { activation: 'sigmoid' }),
      new LayerNorm(12),
      new Dropout(0.5),
      new GELU({ approximate: options.approximateGelu ? 'tanh' : 'none' }),
      new Dense(12, 12),
      new LeakyReLU({ negativeSlope: 0.2 }),
      new ELU({ alpha: 0.7 }),
      new Tanh(),
      new Reshape([3, -1]),
      new LayerNorm([3, 4]),
      new Dense(4, 5, { activation: 'relu' }),
      new Sigmoid(),
      new Softmax({ axis: 1 }),
    ],
    { name: 'every_image_layer', inputShape: [2, 9, 9] },
  );
}

/** Embedding → Flatten → Dense → ReLU → Softmax on int32 token ids [N, 5]. */
export function tokenModel(): Sequential {
  return new Sequential(
    [new Embedding(11, 4), new Flatten(), new Dense(20, 6), new ReLU(), new Dense(6, 3), new Softmax()],
    { name: 'tokens', inputShape: [5] },
  );
}

/** Every merge layer and GlobalAveragePooling2D, two named inputs and two named outputs. */
export function mergeGraph(): Model {
  const features = input({ name: 'features', shape: [6] });
  const image = input({ name: 'image', shape: [3, 5, 5] });
  const a = apply(new Dense(6, 4), features);
  const b = apply(new Dense(6, 4, { activation: 'tanh' }), features);
  const pooled = apply(
    new Dense(3, 4),
    apply(new GlobalAveragePooling2D(), apply(new Conv2D(3, 3, 3, { padding: 'same' }), image)),
  );
  const merged = [
    apply(new Add(), [a, b, pooled]),
    apply(new Subtract(), [a, pooled]),
    apply(new Multiply(), [a, b, pooled]),
    apply(new Average(), [b, pooled]),
    apply(new Maximum(), [a, b]),
  ];
  const joined = apply(new Concatenate(), merged);
  const shared = new Dense(20, 3);
  return new Model({
    inputs: [features, image],
    outputs: { scores: apply(new Softmax(), apply(shared, joined)), raw: apply(shared, apply(new ReLU(), joined)) },
    name: 'merges',
  });
}

/** The demo's MLP, CNN and residual CNN (apps/train-demo `buildModel`). */
export const demoModel = buildModel;

/** Uniform values in [-1, 1) of `shape`, seeded. */
export function randomInput(shape: readonly number[], seed: number): Tensor {
  return randomUniform(shape, createRng(seed), { low: -1, high: 1 });
}

/** Token ids in [0, vocabulary) of `shape`, seeded. */
export function randomTokens(shape: readonly number[], vocabulary: number, seed: number): Tensor<'int32'> {
  const rng = createRng(seed);
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return new Tensor(
    Int32Array.from({ length: size }, () => rng.randint(0, vocabulary)),
    shape,
  );
}
