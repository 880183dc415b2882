import { Tensor, tensor } from '@annet/tensor';
import type { Checkpoint } from './checkpoint.js';

/**
 * A small but complete checkpoint for tests: two parameters, a buffer, Adam slots for both
 * parameters, and every JSON document filled. `step` varies the content. (Excluded from the build.)
 */
export function sampleCheckpoint(step = 7): Checkpoint {
  const weights = new Tensor(
    Float32Array.from({ length: 12 }, (_, index) => (index - 5.5) * 0.125 + step),
    [3, 4],
  );
  const bias = tensor([0.5, -0.25, step, 1e-8], { dtype: 'float32' });
  return {
    format: 'annet-checkpoint',
    formatVersion: 1,
    annetVersion: '0.1.0',
    tensors: {
      'model.dense_1.weights': weights,
      'model.dense_1.bias': bias,
      'model.batch_norm_1.running_mean': tensor([0.1, 0.2], { dtype: 'float64' }),
      'optimizer.dense_1.weights.m': weights.clone(),
      'optimizer.dense_1.weights.v': new Tensor(
        Float32Array.from(weights.data, (value) => value * value),
        [3, 4],
      ),
      'optimizer.dense_1.bias.m': bias.clone(),
      'optimizer.dense_1.bias.v': bias.clone(),
      'model.embedding.indices': tensor([3, 1, 4], { dtype: 'int32' }),
    },
    architecture: {
      className: 'Sequential',
      name: 'model',
      layers: [{ className: 'Dense', name: 'dense_1', units: 4, activation: 'relu' }],
    },
    optimizer: {
      type: 'Adam',
      config: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      state: { step },
    },
    schedule: { type: 'CosineDecay', step },
    rng: {
      dataLoader: { algorithm: 'xoshiro128**', words: [1, 2, 3, step] },
      dropout_1: { algorithm: 'xoshiro128**', words: [5, 6, 7, 8] },
    },
    dataLoader: { epoch: 1, position: 64, order: [2, 0, 1] },
    epoch: 1,
    step,
    history: { loss: [2.3, 1.1, 0.7], accuracy: [0.1, 0.5, 0.8] },
  };
}
