import { describe, expect, it } from 'vitest';
import { add, createRng, matmul, mean, randomNormal, relu, softmax, sum, zeros } from './index.js';

describe('the README example', () => {
  it('runs as written and gives rows of probabilities that sum to 1', () => {
    const rng = createRng(42);
    const x = randomNormal([64, 784], rng);
    const w = randomNormal([784, 128], rng, { standardDeviation: 0.05 });
    const b = zeros([128]);
    const hidden = relu(add(matmul(x, w), b));
    const probabilities = softmax(matmul(hidden, randomNormal([128, 10], rng)));
    const rowSums = sum(probabilities, -1).toArray() as number[];
    rowSums.forEach((total) => expect(total).toBeCloseTo(1, 6));
    const dw = zeros([784, 128]);
    expect(matmul(x, hidden, { transposeA: true, out: dw })).toBe(dw);
    expect(Number.isFinite(mean(dw).item())).toBe(true);
    expect(rng.state().algorithm).toBe('xoshiro128**');
  });
});
