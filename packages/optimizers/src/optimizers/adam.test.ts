import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsEqual } from '../testing/fixtures.js';
import { adamUpdate, type AdamHyperparameters } from './adam.js';

// Zeros of both signs included: the two paths must agree on the sign of a zero too.
const values = (length: number) =>
  fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(0, -0)), {
    minLength: length,
    maxLength: length,
  });

const inputs = fc.integer({ min: 1, max: 12 }).chain((length) =>
  fc.record({
    theta: values(length),
    gradient: values(length),
    firstMoment: values(length),
    secondMoment: fc.array(fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(0)), {
      minLength: length,
      maxLength: length,
    }),
    step: fc.integer({ min: 1, max: 50 }),
    learningRate: fc.double({ min: 0, max: 0.1, noNaN: true }),
    decoupled: fc.boolean(),
    hyperparameters: fc.record({
      beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
      beta2: fc.double({ min: 0, max: 0.999, noNaN: true }),
      epsilon: fc.double({ min: 1e-8, max: 1, noNaN: true }),
      weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }),
      maximize: fc.boolean(),
    }),
  }),
);

type Input = { theta: number[]; gradient: number[]; firstMoment: number[]; secondMoment: number[] };

function run(
  input: Input,
  h: AdamHyperparameters,
  step: number,
  learningRate: number,
  decoupled: boolean,
): Float64Array[] {
  const theta = Float64Array.from(input.theta);
  const firstMoment = Float64Array.from(input.firstMoment);
  const secondMoment = Float64Array.from(input.secondMoment);
  const slots: Record<string, Float64Array> = h.amsgrad
    ? { firstMoment, secondMoment, maxSecondMoment: new Float64Array(theta.length) }
    : { firstMoment, secondMoment };
  adamUpdate(theta, Float64Array.from(input.gradient), { slots, scalars: {} }, { step, learningRate }, h, decoupled);
  return [theta, firstMoment, secondMoment];
}

describe('adamUpdate', () => {
  it('takes one Adam step by hand', () => {
    // β1 = 0.9, β2 = 0.999, g = 0.5, m = v = 0, t = 1, γ = 1e-3: m = 0.05, v = 0.00025,
    // stepSize = γ / (1 − β1) = 1e-3 / 0.1 = 0.01, rootScale = 1 / √(1 − β2) = 1 / √0.001,
    // θ = 1 − 0.01 · 0.05 / (√0.00025 / √0.001 + 1e-8) = 1 − 0.0005 / 0.50000001.
    const h = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
    const [theta, m, v] = run({ theta: [1], gradient: [0.5], firstMoment: [0], secondMoment: [0] }, h, 1, 1e-3, false);
    expect(m[0]).toBeCloseTo(0.05, 15);
    expect(v[0]).toBeCloseTo(0.00025, 15);
    expect(theta[0]).toBeCloseTo(1 - 0.0005 / 0.50000001, 14);
  });

  it('gives the same bits on its branch-free path as on its general path when the maximum changes nothing', () => {
    // A zero running maximum (AMSGrad) sends the update through the general loop; max(0, v) = v
    // since v >= 0, so both paths must agree exactly (L2 decay off: it also takes the general loop).
    fc.assert(
      fc.property(inputs, (input) => {
        const h = { ...input.hyperparameters, weightDecay: input.decoupled ? input.hyperparameters.weightDecay : 0 };
        const fast = run(input, { ...h, amsgrad: false }, input.step, input.learningRate, input.decoupled);
        const general = run(input, { ...h, amsgrad: true }, input.step, input.learningRate, input.decoupled);
        for (let index = 0; index < fast.length; index++) expect(bitsEqual(fast[index], general[index])).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
