import { Conv2D, Dense, Dropout, Flatten, MaxPool2D } from '@annet/layers';
import { Sequential, type Model } from '@annet/model';
import { buildResNet } from './resnet.js';

/**
 * The architectures of the demo, by `--model` name.
 *
 * @example
 * buildModel('mlp' satisfies ModelName);
 */
export type ModelName = 'mlp' | 'cnn' | 'resnet';

/**
 * A model the demo trains: a `Sequential` stack or a graph `Model`; both train through the same loop.
 *
 * @example
 * const model: DemoModel = buildModel('resnet');
 */
export type DemoModel = Sequential | Model;

/**
 * The demo's models, both ending in 10 logits (trained with softmax cross-entropy). ReLU is each
 * Dense's and Conv2D's `activation` (fused into the product's epilogue), not a layer of its own:
 * - `mlp`: 784 → 256 → 128 → 10 with ReLU and dropout 0.2 (235,146 parameters);
 * - `cnn`: two 5×5 convolutions (16 and 32 channels, `same` padding) each followed by ReLU and
 *   2×2 max pooling, then 1568 → 128 → 10 with dropout 0.3 (215,370 parameters);
 * - `resnet`: a graph model, a stem and three residual blocks with BatchNorm and projection
 *   shortcuts, global average pooling, Dense 64 → 10 (see {@link buildResNet}).
 *
 * @example
 * const model = buildModel('cnn').initialize(42);
 */
export function buildModel(name: ModelName): DemoModel {
  if (name === 'resnet') return buildResNet();
  if (name === 'mlp') {
    return new Sequential(
      [
        new Dense(784, 256, { activation: 'relu', activationHint: 'relu' }),
        new Dropout(0.2),
        new Dense(256, 128, { activation: 'relu', activationHint: 'relu' }),
        new Dropout(0.2),
        new Dense(128, 10),
      ],
      { name: 'mlp', inputShape: [784] },
    );
  }
  return new Sequential(
    [
      new Conv2D(1, 16, 5, { padding: 'same', activation: 'relu', activationHint: 'relu' }),
      new MaxPool2D(2),
      new Conv2D(16, 32, 5, { padding: 'same', activation: 'relu', activationHint: 'relu' }),
      new MaxPool2D(2),
      new Flatten(),
      new Dense(32 * 7 * 7, 128, { activation: 'relu', activationHint: 'relu' }),
      new Dropout(0.3),
      new Dense(128, 10),
    ],
    { name: 'cnn', inputShape: [1, 28, 28] },
  );
}

/**
 * How the report names a model.
 *
 * @example
 * modelTitle('mlp'); // 'MLP 784-256-128-10'
 */
export function modelTitle(name: ModelName): string {
  if (name === 'resnet') return 'ResNet (stem 3×3 ×16, residual blocks 16-32-64, global average pooling, dense 10)';
  return name === 'mlp' ? 'MLP 784-256-128-10' : 'CNN (conv 5×5 ×16, conv 5×5 ×32, dense 128)';
}
