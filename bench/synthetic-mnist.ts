import { createRng } from '../packages/tensor/dist/index.js';

/** MNIST-shaped synthetic data: `samples` rows of 784 float32 values in [0, 1), labels 0-9. */
export interface SyntheticMnist {
  readonly inputs: Float32Array;
  readonly labels: Int32Array;
  readonly samples: number;
}

/** Pixels per sample (28 x 28). */
export const pixels = 784;
/** Classes. */
export const classes = 10;

/**
 * Seeded synthetic MNIST: pixels uniform in [0, 1); each label is the argmax of a fixed random
 * linear "teacher" applied to the centred pixels, (x - 0.5)·T with T ~ N(0, 1) of shape
 * [784, 10], so the classes are balanced and learnable and the loss falls as a real one does.
 * The same seed gives the same bytes everywhere (xoshiro128** from @annet/tensor).
 *
 * @example
 * const data = syntheticMnist(10_000, 1); // data.inputs.length === 7_840_000
 */
export function syntheticMnist(samples: number, seed: number): SyntheticMnist {
  const rng = createRng(seed);
  const teacher = new Float64Array(pixels * classes);
  for (let index = 0; index < teacher.length; index++) teacher[index] = rng.normal();
  const inputs = new Float32Array(samples * pixels);
  for (let index = 0; index < inputs.length; index++) inputs[index] = rng.uniform();
  const labels = new Int32Array(samples);
  const scores = new Float64Array(classes);
  for (let sample = 0; sample < samples; sample++) {
    scores.fill(0);
    for (let pixel = 0; pixel < pixels; pixel++) {
      const centred = inputs[sample * pixels + pixel] - 0.5;
      for (let label = 0; label < classes; label++) scores[label] += centred * teacher[pixel * classes + label];
    }
    let best = 0;
    for (let label = 1; label < classes; label++) if (scores[label] > scores[best]) best = label;
    labels[sample] = best;
  }
  return { inputs, labels, samples };
}
