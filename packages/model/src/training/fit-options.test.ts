import { DataLoader, TensorDataset } from '@annet/dataset';
import { Dense } from '@annet/layers';
import { SGD } from '@annet/optimizers';
import { describe, expect, it } from 'vitest';
import { Sequential } from '../sequential/sequential.js';
import { blobs } from '../testing/blobs.js';

const data = blobs(24, { seed: 6 });

function model() {
  return new Sequential([new Dense(4, 3)], { inputShape: [4] }).initialize(1);
}

function loader(batchSize: number) {
  return new DataLoader(new TensorDataset(data.inputs, data.targets), { batchSize });
}

describe('fit and evaluate with a DataLoader (issue 21 item 15)', () => {
  it('refuses a batchSize that differs from the loader, naming both', async () => {
    const trained = model();
    const before = Array.from(trained.parameters()[0].value);
    await expect(
      trained.fit(loader(8), {
        optimizer: new SGD({ learningRate: 0.1 }),
        loss: 'softmaxCrossEntropy',
        epochs: 1,
        batchSize: 4,
      }),
    ).rejects.toThrow(
      'Sequential "sequential".fit: batchSize is 4 but the DataLoader passed as data batches 8 samples, and a DataLoader is used as it is; drop batchSize, or build the loader with { batchSize: 4 }',
    );
    expect(Array.from(trained.parameters()[0].value)).toEqual(before);
    expect(() => trained.evaluate(loader(8), { loss: 'softmaxCrossEntropy', batchSize: 2 })).toThrow(
      /batchSize is 2 but the DataLoader passed as data batches 8 samples/,
    );
  });
  it('accepts the loader with no batchSize or the same one', async () => {
    const optimizer = new SGD({ learningRate: 0.1 });
    await model().fit(loader(8), { optimizer, loss: 'softmaxCrossEntropy', epochs: 1 });
    await model().fit(loader(8), {
      optimizer: new SGD({ learningRate: 0.1 }),
      loss: 'softmaxCrossEntropy',
      epochs: 1,
      batchSize: 8,
    });
    expect(optimizer.stepCount).toBe(3);
  });
});

describe('evaluate on a model that was never fit (issue 21 item 19)', () => {
  it('reports the metrics alone when no loss is given, the loss when one is', () => {
    const fresh = model();
    const result = fresh.evaluate(data, { metrics: ['accuracy'] });
    expect(Object.keys(result)).toEqual(['accuracy']);
    // Hand check: accuracy is the fraction of rows whose arg-max is the label.
    const predictions = fresh.predict(data.inputs).toArray() as number[][];
    const labels = Array.from(data.targets.data);
    const hits = predictions.filter((row, index) => row.indexOf(Math.max(...row)) === labels[index]).length;
    expect(result.accuracy).toBeCloseTo(hits / 24, 12);
    expect(Object.keys(fresh.evaluate(data, { loss: 'softmaxCrossEntropy' }))).toEqual(['loss']);
  });
  it('says what to pass when there is neither a loss nor a metric', () => {
    expect(() => model().evaluate(data)).toThrow(
      /nothing to evaluate: pass \{ loss: 'softmaxCrossEntropy' \} \(or another loss\) and\/or \{ metrics: \['accuracy'\] \}, or call fit first/,
    );
  });
});

describe('gradientClipNorm', () => {
  it('scales the whole gradient to the given global norm before each step (SGD with learning rate 1 moves the weights by exactly that norm)', async () => {
    const trained = model();
    const before = trained.parameters().map((parameter) => Float64Array.from(parameter.value));
    await trained.fit(loader(24), {
      optimizer: new SGD({ learningRate: 1 }),
      loss: 'softmaxCrossEntropy',
      epochs: 1,
      gradientClipNorm: 1e-3,
      shuffle: false,
    });
    // One step: Δθ = −g·c with c = 1e-3/(‖g‖ + 1e-6), so ‖Δθ‖ = 1e-3·‖g‖/(‖g‖ + 1e-6) ≈ 1e-3.
    let squares = 0;
    trained
      .parameters()
      .forEach((parameter, index) =>
        parameter.value.forEach((value, element) => (squares += (value - before[index][element]) ** 2)),
      );
    expect(Math.sqrt(squares)).toBeCloseTo(1e-3, 7);
  });

  it('refuses a norm that is not a positive number', async () => {
    await expect(
      model().fit(loader(8), { optimizer: new SGD(), loss: 'softmaxCrossEntropy', epochs: 1, gradientClipNorm: 0 }),
    ).rejects.toThrow(/gradientClipNorm must be a positive number/);
  });
});
