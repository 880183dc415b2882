import { Conv2D, Dense, Dropout, Flatten, MaxPool2D, type BaseLayer } from '../packages/layers/dist/index.js';

/** The benchmarked models, built from @annet/layers' public API only. */
export type ModelName = 'mlp' | 'cnn';

/** A model as the benchmark drives it: layers in order, and the input shape of one sample. */
export interface BenchModel {
  readonly layers: readonly BaseLayer[];
  readonly sampleShape: readonly number[];
}

/**
 * MLP 784-128-64-10 with ReLU (the performance issue's model), or the CNN of the demo
 * (apps/train-demo/src/models.ts): Conv2D(1→16, 5x5, same) ReLU MaxPool(2) Conv2D(16→32, 5x5,
 * same) ReLU MaxPool(2) Flatten Dense(1568→128) ReLU Dropout(0.3) Dense(128→10).
 *
 * Every Dense followed by a ReLU is written `Dense(..., { activation: 'relu' })`: the same model
 * (same weights, same results), with the bias and ReLU fused into the matmul. `activationHint`
 * keeps the He-normal weights (the activation alone would not change the initializer, as in Keras).
 *
 * @example
 * const { layers } = buildModel('mlp', 1);
 */
export function buildModel(name: ModelName, seed: number): BenchModel {
  if (name === 'mlp') {
    return {
      layers: [
        new Dense(784, 128, { name: 'dense_1', seed, activation: 'relu', activationHint: 'relu' }),
        new Dense(128, 64, { name: 'dense_2', seed: seed + 1, activation: 'relu', activationHint: 'relu' }),
        new Dense(64, 10, { name: 'dense_3', seed: seed + 2 }),
      ],
      sampleShape: [784],
    };
  }
  return {
    layers: [
      new Conv2D(1, 16, 5, { name: 'conv2d_1', padding: 'same', seed, activation: 'relu', activationHint: 'relu' }),
      new MaxPool2D(2),
      new Conv2D(16, 32, 5, {
        name: 'conv2d_2',
        padding: 'same',
        seed: seed + 1,
        activation: 'relu',
        activationHint: 'relu',
      }),
      new MaxPool2D(2),
      new Flatten(),
      new Dense(32 * 7 * 7, 128, { name: 'dense_1', seed: seed + 2, activation: 'relu', activationHint: 'relu' }),
      new Dropout(0.3, { seed: seed + 3 }),
      new Dense(128, 10, { name: 'dense_2', seed: seed + 4 }),
    ],
    sampleShape: [1, 28, 28],
  };
}
