import { Dense, Dropout, ReLU } from '@annet/layers';
import { Adam, cosineSchedule } from '@annet/optimizers';
import { tensor } from '@annet/tensor';
import { expect, it } from 'vitest';
import { EarlyStopping, ProgressBar, Sequential } from './index.js';

// The README's example, line for line (the progress bar writes into an array here).
it('runs the README example and learns the toy problem', async () => {
  const lines: string[] = [];
  const points = Array.from({ length: 400 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 2.3)]);
  const inputs = tensor(points);
  const targets = tensor(
    points.map(([x, y]) => (x * y > 0 ? 1 : 0)),
    { dtype: 'int32' },
  );

  const model = new Sequential([new Dense(2, 32), new ReLU(), new Dropout(0.1), new Dense(32, 2)], { inputShape: [2] });
  model.initialize(42);
  expect(model.summary()).toContain('Total parameters: 162');
  const history = await model.fit(
    { inputs, targets },
    {
      optimizer: new Adam({ learningRate: cosineSchedule({ initialLearningRate: 0.02, totalSteps: 30 * 10 }) }),
      loss: 'softmaxCrossEntropy',
      epochs: 30,
      batchSize: 32,
      seed: 42,
      validationSplit: 0.2,
      metrics: ['accuracy'],
      callbacks: [
        new ProgressBar({ output: { write: (text) => void lines.push(text) } }),
        new EarlyStopping({ monitor: 'validationAccuracy', patience: 10, restoreBestWeights: true }),
      ],
    },
  );
  expect(history.last()!.validationAccuracy).toBeGreaterThan(0.9);
  expect(model.predict(tensor([[0.5, 0.5]])).shape).toEqual([1, 2]);
  expect(lines.join('')).toContain('Epoch 1/30');
});

// The "Saving a model for inference" example, line for line.
it('runs the saveModel / loadModel example', async () => {
  const { Dense: DenseLayer, ReLU: ReLULayer } = await import('@annet/layers');
  const { loadModel, saveModel } = await import('./index.js');
  const model = new Sequential([new DenseLayer(2, 8, { activation: 'relu' }), new DenseLayer(8, 2), new ReLULayer()], {
    inputShape: [2],
  }).initialize(7);
  const bytes = saveModel(model);
  const copy = loadModel(bytes, { Dense: DenseLayer, ReLU: ReLULayer }) as Sequential;
  expect(copy.predict(tensor([[0.5, -1]])).toArray()).toEqual(model.predict(tensor([[0.5, -1]])).toArray());
});
