import type { Tensor } from '@annet/tensor';
import { tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { ReLU } from './activations/relu.js';
import { Tanh } from './activations/tanh.js';
import type { BaseLayer } from './base-layer.js';
import { Dense } from './core/dense.js';
import { binaryCrossEntropy } from './losses/binary-cross-entropy.js';
import { twoMoons } from './testing/two-moons.js';

/** Forward through every layer, the loss, backward in reverse, then plain gradient descent. */
function step(layers: readonly BaseLayer[], inputs: Tensor, targets: Tensor, learningRate: number): number {
  let activation = inputs;
  for (const layer of layers) activation = layer.forward(activation, { training: true });
  const { loss, gradient } = binaryCrossEntropy(activation, targets);
  let upstream = gradient;
  for (let index = layers.length - 1; index >= 0; index--) upstream = layers[index].backward(upstream);
  for (const layer of layers) {
    for (const parameter of layer.parameters()) {
      for (let i = 0; i < parameter.value.length; i++) parameter.value[i] -= learningRate * parameter.grad[i];
    }
  }
  return loss;
}

function predict(layers: readonly BaseLayer[], inputs: Tensor): number[] {
  let activation = inputs;
  for (const layer of layers) activation = layer.forward(activation, { training: false });
  return Array.from(activation.data, (logit) => (logit > 0 ? 1 : 0));
}

describe('end-to-end fits with plain gradient descent', () => {
  it('learns XOR with a 2-4-1 network', () => {
    const inputs = tensor(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      { dtype: 'float64' },
    );
    const targets = tensor([[0], [1], [1], [0]], { dtype: 'float64' });
    const layers = [
      new Dense(2, 4, { dtype: 'float64', seed: 1 }),
      new Tanh(),
      new Dense(4, 1, { dtype: 'float64', seed: 2 }),
    ];
    let loss = Infinity;
    for (let epoch = 0; epoch < 2000; epoch++) loss = step(layers, inputs, targets, 0.5);
    expect(loss).toBeLessThan(0.05);
    expect(predict(layers, inputs)).toEqual([0, 1, 1, 0]);
  });

  it('separates seeded two moons with more than 95% test accuracy', () => {
    const train = twoMoons(300, 0.1, 1);
    const test = twoMoons(300, 0.1, 2);
    const layers = [
      new Dense(2, 16, { activationHint: 'relu', seed: 3 }),
      new ReLU(),
      new Dense(16, 16, { activationHint: 'relu', seed: 4 }),
      new ReLU(),
      new Dense(16, 1, { seed: 5 }),
    ];
    const toFloat32 = (x: Tensor) => tensor(Float32Array.from(x.data), { shape: x.shape });
    const trainInputs = toFloat32(train.points);
    const trainTargets = toFloat32(train.labels);
    for (let epoch = 0; epoch < 1500; epoch++) step(layers, trainInputs, trainTargets, 0.2);
    const predictions = predict(layers, toFloat32(test.points));
    const correct = predictions.filter((prediction, index) => prediction === test.labels.data[index]).length;
    expect(correct / predictions.length).toBeGreaterThan(0.95);
  });
});
