import { Conv2D, Dense, Dropout, Flatten, MaxPool2D } from '@annet/layers';
import { Sequential } from '@annet/model';
import type { TaskName } from './settings.js';

/**
 * The model of a task, not yet initialized, ending in 10 logits (trained with softmax
 * cross-entropy); ReLU is fused into each Dense and Conv2D:
 * - `mlp`: 784 → 256 → 128 → 10 with dropout 0.2 (235,146 parameters);
 * - `cnn`: 5×5 convolutions with 16 and 32 channels (`same` padding), each followed by 2×2 max
 *   pooling, then 1568 → 128 → 10 with dropout 0.3 (215,370 parameters). Input `[1, 28, 28]`.
 *
 * @example
 * const model = buildModel('mlp').initialize(42);
 */
export function buildModel(task: TaskName): Sequential {
  if (task === 'mlp') {
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
 * The shape of one input sample of a task.
 *
 * @example
 * inputShapeOf('cnn'); // [1, 28, 28]
 */
export function inputShapeOf(task: TaskName): number[] {
  return task === 'mlp' ? [784] : [1, 28, 28];
}
