import {
  BatchNorm,
  Concatenate,
  Conv2D,
  Dense,
  Dropout,
  GlobalAveragePooling2D,
  Multiply,
  ReLU,
  Subtract,
  Tanh,
  Add,
} from '@annet/layers';
import { describe, expect, it } from 'vitest';
import { checkGraphGradients, normalTensor } from '../testing/graph-gradient-check.js';
import { apply } from './apply.js';
import { Model } from './model.js';
import { input } from './symbolic-tensor.js';

const f64 = { dtype: 'float64' } as const;

/** `zero`: arrays whose gradient is exactly zero by construction (a bias right before BatchNorm, whose mean subtraction cancels it). */
function expectGradientsMatch(
  results: ReturnType<typeof checkGraphGradients>,
  tolerance = 1e-6,
  zero: readonly string[] = [],
) {
  expect(results.length).toBeGreaterThan(1);
  for (const { name, relativeError, largest } of results) {
    if (zero.includes(name)) {
      expect(largest, `${name}: BatchNorm cancels this bias, so its gradient is zero`).toBeLessThan(1e-9);
      continue;
    }
    expect(relativeError, `${name}: relative error`).toBeLessThan(tolerance);
    expect(largest, `${name}: a zero gradient makes the check vacuous`).toBeGreaterThan(0);
  }
}

describe('whole-graph gradients against central differences (float64)', () => {
  it('fan-out: one tensor feeding three branches, summed back', () => {
    const x = input({ name: 'x', shape: [4], dtype: 'float64' });
    const h = apply(new Dense(4, 5, f64), x);
    const a = apply(new Tanh(), h);
    const b = apply(new Dense(5, 5, f64), h);
    const y = apply(new Add(), [a, b, h]);
    const model = new Model({ inputs: x, outputs: apply(new Dense(5, 2, f64), y) }).initialize(1);
    expectGradientsMatch(checkGraphGradients(model, { x: normalTensor([3, 4], 2) }));
  });

  it('a shared layer called twice accumulates both calls into its gradients (siamese difference)', () => {
    const left = input({ name: 'left', shape: [3], dtype: 'float64' });
    const right = input({ name: 'right', shape: [3], dtype: 'float64' });
    const shared = new Dense(3, 4, { ...f64, name: 'tower' });
    const difference = apply(new Subtract(), [
      apply(new Tanh(), apply(shared, left)),
      apply(new Tanh(), apply(shared, right)),
    ]);
    const model = new Model({ inputs: [left, right], outputs: apply(new Dense(4, 1, f64), difference) }).initialize(3);
    expect(model.parameters().filter((parameter) => parameter.name.startsWith('tower.')).length).toBe(2);
    expectGradientsMatch(checkGraphGradients(model, { left: normalTensor([2, 3], 4), right: normalTensor([2, 3], 5) }));
  });

  it('a shared layer with Dropout and BatchNorm inside the calls keeps each call its own mask and statistics', () => {
    const x = input({ name: 'x', shape: [4], dtype: 'float64' });
    const norm = new BatchNorm(4, { ...f64, name: 'norm' });
    const dropout = new Dropout(0.3, { ...f64, seed: 5 });
    const first = apply(dropout, apply(norm, x));
    const second = apply(dropout, apply(norm, apply(new Dense(4, 4, f64), first)));
    const model = new Model({ inputs: x, outputs: apply(new Dense(4, 2, f64), second) }).initialize(6);
    expectGradientsMatch(checkGraphGradients(model, { x: normalTensor([6, 4], 7) }), 1e-6, ['dense_1.biases']);
  });

  it('two inputs (image and a scalar) and two outputs, with Concatenate and Multiply', () => {
    const image = input({ name: 'image', shape: [1, 4, 4], dtype: 'float64' });
    const scalar = input({ name: 'scalar', shape: [1], dtype: 'float64' });
    const features = apply(
      new GlobalAveragePooling2D(),
      apply(new ReLU(), apply(new Conv2D(1, 3, 3, { ...f64, padding: 'same' }), image)),
    );
    const joined = apply(new Concatenate(), [features, scalar]);
    const hidden = apply(new Tanh(), apply(new Dense(4, 4, f64), joined));
    const gate = apply(new Dense(1, 4, f64), scalar);
    const model = new Model({
      inputs: [image, scalar],
      outputs: { digit: apply(new Dense(4, 3, f64), hidden), box: apply(new Multiply(), [hidden, gate]) },
    }).initialize(8);
    const batch = { image: normalTensor([2, 1, 4, 4], 9), scalar: normalTensor([2, 1], 10) };
    // Seeded inputs whose ReLU pre-activations sit farther than ε from 0 (a straddled kink would show as a large error).
    expectGradientsMatch(checkGraphGradients(model, batch), 1e-5);
  });

  it('a residual block with a projection shortcut (conv, batch norm, add) matches', () => {
    const x = input({ name: 'x', shape: [2, 4, 4], dtype: 'float64' });
    const main = apply(new BatchNorm(3, f64), apply(new Conv2D(2, 3, 3, { ...f64, padding: 'same', stride: 2 }), x));
    const shortcut = apply(new Conv2D(2, 3, 1, { ...f64, stride: 2 }), x);
    const block = apply(new Tanh(), apply(new Add(), [main, shortcut]));
    const model = new Model({
      inputs: x,
      outputs: apply(new Dense(3, 2, f64), apply(new GlobalAveragePooling2D(), block)),
    }).initialize(11);
    expectGradientsMatch(checkGraphGradients(model, { x: normalTensor([3, 2, 4, 4], 12) }), 1e-6, ['conv2d_1.biases']);
  });
});
