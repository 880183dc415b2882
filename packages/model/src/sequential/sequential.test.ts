import { defaultLayerRegistry, Dense, Dropout, ReLU } from '@annet/layers';
import { tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Sequential } from './sequential.js';

function mlp() {
  return new Sequential([new Dense(4, 8), new ReLU(), new Dropout(0.5), new Dense(8, 3)], { inputShape: [4] });
}

describe('Sequential', () => {
  it('names auto-named layers dense_1, dense_2 … per model, so parameter names are unique', () => {
    const model = mlp();
    expect(model.layers.map((layer) => layer.name)).toEqual(['dense_1', 'relu_1', 'dropout_1', 'dense_2']);
    expect(model.parameters().map((parameter) => parameter.name)).toEqual([
      'dense_1.weights',
      'dense_1.biases',
      'dense_2.weights',
      'dense_2.biases',
    ]);
    // A second model restarts the numbering: names do not depend on other models.
    expect(mlp().layers[0].name).toBe('dense_1');
  });
  it('keeps explicit names and skips them when numbering', () => {
    const model = new Sequential([
      new Dense(2, 2, { name: 'dense_1' }),
      new Dense(2, 2),
      new Dense(2, 2, { name: 'head' }),
    ]);
    expect(model.layers.map((layer) => layer.name)).toEqual(['dense_1', 'dense_2', 'head']);
    expect(() => new Sequential([new Dense(2, 2, { name: 'a' }), new Dense(2, 2, { name: 'a' })])).toThrow(
      /two layers are named "a"/,
    );
  });
  it('prints a summary with output shapes and parameter counts (hand-counted)', () => {
    // dense_1: 4·8 + 8 = 40; dense_2: 8·3 + 3 = 27; total 67.
    const text = mlp().summary();
    expect(text).toContain('dense_1 (Dense)');
    expect(text).toMatch(/dense_1 \(Dense\)\s+\[batch, 8\]\s+40/);
    expect(text).toMatch(/dense_2 \(Dense\)\s+\[batch, 3\]\s+27/);
    expect(text).toContain('Total parameters: 67');
  });
  it('predicts in batches the same values as one forward pass', () => {
    const model = mlp().initialize(3);
    const inputs = tensor(
      Array.from({ length: 7 * 4 }, (_, index) => Math.sin(index)),
      { shape: [7, 4] },
    );
    const whole = model.forward(inputs, { training: false }).clone();
    const batched = model.predict(inputs, { batchSize: 3 });
    expect(batched.shape).toEqual([7, 3]);
    expect(Array.from(batched.data)).toEqual(Array.from(whole.data));
  });
  it('gives bit-identical weights for the same seed and different ones for another', () => {
    const a = mlp().initialize(11);
    const b = mlp().initialize(11);
    const c = mlp().initialize(12);
    expect(Array.from(a.parameters()[0].value)).toEqual(Array.from(b.parameters()[0].value));
    expect(Array.from(a.parameters()[0].value)).not.toEqual(Array.from(c.parameters()[0].value));
  });
  it('rebuilds from its JSON config with the same names', () => {
    const model = mlp();
    const copy = Sequential.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), defaultLayerRegistry);
    expect(copy.getConfig()).toEqual(model.getConfig());
    expect(copy.parameters().map((parameter) => parameter.name)).toEqual(
      model.parameters().map((parameter) => parameter.name),
    );
    expect(() => Sequential.fromConfig({ className: 'Nope' } as never, defaultLayerRegistry)).toThrow(
      /Sequential.fromConfig: expected \{ className: 'Sequential'/,
    );
  });
});
