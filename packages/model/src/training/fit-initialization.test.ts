import { Dense, loadWeights } from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { writeModelState, readModelState } from '../sequential/model-state.js';
import { blobs } from '../testing/blobs.js';

const data = blobs(8, { classes: 2, features: 2, seed: 3 });
// Learning rate 0: training changes no weight, so what fit leaves is what it started from.
const frozenFit = {
  optimizer: new SGD({ learningRate: 0 }),
  loss: 'softmaxCrossEntropy',
  epochs: 1,
  batchSize: 4,
  seed: 5,
} as const;

function twoByTwo() {
  return new Sequential([new Dense(2, 2)], { inputShape: [2] });
}

describe('fit and weights that were set', () => {
  it('keeps weights loaded with loadWeights (issue 21 item 1: it drew them again)', async () => {
    const model = twoByTwo();
    loadWeights(model.layers[0], {
      'dense_1.weights': { data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] },
      'dense_1.biases': Float32Array.of(0.5, -0.5),
    });
    expect(model.isInitialized).toBe(true);
    await model.fit(data, { ...frozenFit, optimizer: new SGD({ learningRate: 0 }) });
    expect(Array.from(model.parameters()[0].value)).toEqual([1, 2, 3, 4]);
    expect(Array.from(model.parameters()[1].value)).toEqual([0.5, -0.5]);
  });
  it('keeps a parameter written by hand', async () => {
    const model = twoByTwo();
    model.parameters()[1].value.set([0.25, 0.75]);
    const weights = Array.from(model.parameters()[0].value);
    await model.fit(data, { ...frozenFit, optimizer: new SGD({ learningRate: 0 }) });
    expect(Array.from(model.parameters()[1].value)).toEqual([0.25, 0.75]);
    expect(Array.from(model.parameters()[0].value)).toEqual(weights);
  });
  it('keeps weights written by writeModelState even where they equal the constructed values', async () => {
    const source = twoByTwo();
    const model = twoByTwo();
    const { tensors, rng } = readModelState(source);
    writeModelState(model, tensors, rng, 'test');
    expect(model.isInitialized).toBe(true);
    await model.fit(data, { ...frozenFit, optimizer: new SGD({ learningRate: 0 }) });
    expect(model.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
      source.parameters().map((parameter) => Array.from(parameter.value)),
    );
  });
  it('still initializes an untouched model with the fit seed, as initialize(seed) would', async () => {
    const untouched = twoByTwo();
    expect(untouched.isInitialized).toBe(false);
    await untouched.fit(data, { ...frozenFit, optimizer: new SGD({ learningRate: 0 }) });
    const seeded = twoByTwo().initialize(5);
    expect(untouched.parameters().map((parameter) => Array.from(parameter.value))).toEqual(
      seeded.parameters().map((parameter) => Array.from(parameter.value)),
    );
    // And the seed matters: the constructed weights were replaced.
    expect(Array.from(untouched.parameters()[0].value)).not.toEqual(Array.from(twoByTwo().parameters()[0].value));
  });
  it('markInitialized keeps the constructed weights', async () => {
    const model = twoByTwo().markInitialized();
    const constructed = Array.from(model.parameters()[0].value);
    await model.fit(data, { ...frozenFit, optimizer: new SGD({ learningRate: 0 }) });
    expect(Array.from(model.parameters()[0].value)).toEqual(constructed);
  });
});
