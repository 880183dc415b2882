import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam, SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';

function classifier() {
  return new Sequential([new Dense(4, 16), new ReLU(), new Dropout(0.1), new Dense(16, 3)], { inputShape: [4] });
}

describe('fit', () => {
  it('lowers the loss and raises the accuracy on separable blobs', async () => {
    const model = classifier();
    const data = blobs(300);
    const history = await model.fit(data, {
      optimizer: new Adam({ learningRate: 0.01 }),
      loss: 'softmaxCrossEntropy',
      epochs: 8,
      batchSize: 32,
      seed: 5,
      metrics: ['accuracy'],
      validationSplit: 0.2,
    });
    const loss = history.values('loss');
    const accuracy = history.values('validationAccuracy');
    expect(history.epochs).toHaveLength(8);
    expect(loss[7]).toBeLessThan(loss[0] * 0.5);
    expect(accuracy[7]).toBeGreaterThan(accuracy[0]);
    expect(accuracy[7]).toBeGreaterThan(0.9);
    const evaluation = model.evaluate(data);
    expect(Object.keys(evaluation)).toEqual(['loss', 'accuracy']);
  });
  it('gives bit-identical weights for the same seed', async () => {
    const run = async () => {
      const model = classifier();
      await model.fit(blobs(120), {
        optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }),
        loss: 'softmaxCrossEntropy',
        epochs: 3,
        batchSize: 16,
        seed: 9,
      });
      return model.parameters().map((parameter) => Array.from(parameter.value));
    };
    expect(await run()).toEqual(await run());
  });
});
