import { createRng, Tensor } from '@annet/tensor';

/**
 * The two-moons set (as scikit-learn's `make_moons`): an upper half circle of class 0 centred at
 * (0, 0) and a lower one of class 1 centred at (1, 0.5), with Gaussian noise, seeded.
 */
export function twoMoons(
  count: number,
  noise: number,
  seed: number,
): { points: Tensor<'float64'>; labels: Tensor<'float64'> } {
  const rng = createRng(seed);
  const points = new Float64Array(count * 2);
  const labels = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const label = index % 2;
    const angle = rng.uniform(0, Math.PI);
    const x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
    const y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
    points[2 * index] = x + rng.normal(0, noise);
    points[2 * index + 1] = y + rng.normal(0, noise);
    labels[index] = label;
  }
  return { points: new Tensor(points, [count, 2]), labels: new Tensor(labels, [count, 1]) };
}
