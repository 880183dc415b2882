import { Concatenate, Conv2D, Dense, Flatten, MaxPool2D } from '@annet/layers';
import { Adam } from '@annet/optimizers';
import { createRng, Tensor } from '@annet/tensor';
import { expect, it } from 'vitest';
import { apply, input, Model } from '../index.js';

// The README's graph example (image + scalar feature, two heads), line for line.
it('runs the README two-input example and learns both heads', async () => {
  const rng = createRng(7);
  const count = 256;
  const pixels = Float32Array.from({ length: count * 64 }, () => rng.uniform(0, 1));
  const scalars = Float32Array.from({ length: count }, () => rng.uniform(-1, 1));
  const brighterLeft = new Int32Array(count);
  const products = new Float32Array(count);
  for (let sample = 0; sample < count; sample++) {
    let left = 0;
    let total = 0;
    for (let index = 0; index < 64; index++) {
      const value = pixels[sample * 64 + index];
      if (index % 8 < 4) left += value;
      total += value;
    }
    brighterLeft[sample] = left > total - left ? 1 : 0;
    products[sample] = (scalars[sample] * total) / 64;
  }
  const images = new Tensor(pixels, [count, 1, 8, 8]);
  const extra = new Tensor(scalars, [count, 1]);

  const image = input({ name: 'image', shape: [1, 8, 8] });
  const scalar = input({ name: 'scalar', shape: [1] });
  const features = apply(
    new Flatten(),
    apply(new MaxPool2D(2), apply(new Conv2D(1, 8, 3, { padding: 'same', activation: 'relu' }), image)),
  );
  const joined = apply(new Concatenate(), [features, scalar]);
  const hidden = apply(new Dense(129, 32, { activation: 'relu' }), joined);
  const model = new Model({
    inputs: [image, scalar],
    outputs: { side: apply(new Dense(32, 2), hidden), product: apply(new Dense(32, 1), hidden) },
    name: 'two_inputs',
  });
  model.initialize(42);
  expect(model.summary()).toMatch(/concatenate_1 \(Concatenate\)\s+\[batch, 129\]\s+0\s+flatten_1, scalar/);

  const history = await model.fit(
    {
      inputs: { image: images, scalar: extra },
      targets: { side: new Tensor(brighterLeft, [count]), product: new Tensor(products, [count, 1]) },
    },
    {
      optimizer: new Adam({ learningRate: 3e-3 }),
      loss: { side: 'softmaxCrossEntropy', product: 'meanSquaredError' },
      lossWeights: { product: 4 },
      metrics: { side: ['accuracy'] },
      epochs: 30,
      batchSize: 32,
      seed: 1,
      validationSplit: 0.25,
    },
  );
  const last = history.last()!;
  const first = history.epochs[0];
  expect(last['validationAccuracy.side']).toBeGreaterThan(0.8);
  expect(last['validationLoss.product']).toBeLessThan(first['validationLoss.product'] / 2);
  const { side, product } = model.predictNamed({ image: images.slice([0, 4]), scalar: extra.slice([0, 4]) });
  expect(side.shape).toEqual([4, 2]);
  expect(product.shape).toEqual([4, 1]);
});
