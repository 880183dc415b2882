import { createRng, Tensor } from '@annet/tensor';

/**
 * A small classification problem for tests: `count` points in `features` dimensions around
 * `classes` seeded random centres (spread 0.6, centres about 3 apart), with int32 labels.
 */
export function blobs(
  count: number,
  options: { classes?: number; features?: number; seed?: number } = {},
): { inputs: Tensor; targets: Tensor } {
  const classes = options.classes ?? 3;
  const features = options.features ?? 4;
  const rng = createRng(options.seed ?? 1);
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => rng.uniform(-3, 3)));
  const inputs = new Float32Array(count * features);
  const targets = new Int32Array(count);
  for (let sample = 0; sample < count; sample++) {
    const label = sample % classes;
    targets[sample] = label;
    for (let feature = 0; feature < features; feature++)
      inputs[sample * features + feature] = centres[label][feature] + rng.normal(0, 0.6);
  }
  return { inputs: new Tensor(inputs, [count, features]), targets: new Tensor(targets, [count]) };
}
