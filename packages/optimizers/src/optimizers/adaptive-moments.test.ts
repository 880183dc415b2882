import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitsEqual } from '../testing/fixtures.js';
import { adaptiveMomentUpdate, createAdaptiveMomentCoefficients, type AdaptiveMomentCoefficients } from './adaptive-moments.js';

// Zeros of both signs included: the two paths must agree on the sign of a zero too.
const values = (length: number) => fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(0, -0)), { minLength: length, maxLength: length });

const inputs = fc.integer({ min: 1, max: 12 }).chain((length) => fc.record({
  theta: values(length),
  gradient: values(length),
  firstMoment: values(length),
  secondMoment: fc.array(fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(0)), { minLength: length, maxLength: length }),
  coefficients: fc.record({
    sign: fc.constantFrom(-1, 1),
    l2: fc.constant(0),
    decay: fc.double({ min: 0.9, max: 1, noNaN: true }),
    beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
    beta2: fc.double({ min: 0, max: 0.999, noNaN: true }),
    gradientWeight: fc.double({ min: 0, max: 0.1, noNaN: true }),
    momentWeight: fc.double({ min: 0, max: 0.1, noNaN: true }),
    rootScale: fc.double({ min: 0, max: 10, noNaN: true }),
    epsilon: fc.double({ min: 1e-8, max: 1, noNaN: true }),
  }),
}));

function run(input: { theta: number[]; gradient: number[]; firstMoment: number[]; secondMoment: number[] }, c: AdaptiveMomentCoefficients, maxSecondMoment: Float64Array | undefined): Float64Array[] {
  const theta = Float64Array.from(input.theta);
  const m = Float64Array.from(input.firstMoment);
  const v = Float64Array.from(input.secondMoment);
  adaptiveMomentUpdate(theta, Float64Array.from(input.gradient), m, v, maxSecondMoment, c);
  return [theta, m, v];
}

describe('adaptiveMomentUpdate', () => {
  it('takes one Adam step by hand', () => {
    // β1 = 0.9, β2 = 0.999, g = 0.5, m = v = 0, t = 1: m = 0.05, v = 0.00025,
    // b = γ / (1 − β1) = 1e-3 / 0.1 = 0.01, c = 1 / √(1 − β2) = 1 / √0.001,
    // θ = 1 − 0.01 · 0.05 / (√0.00025 / √0.001 + 1e-8) = 1 − 0.0005 / 0.50000001.
    const c = { ...createAdaptiveMomentCoefficients(), beta1: 0.9, beta2: 0.999, momentWeight: 1e-3 / 0.1, rootScale: 1 / Math.sqrt(0.001), epsilon: 1e-8 };
    const [theta, m, v] = run({ theta: [1], gradient: [0.5], firstMoment: [0], secondMoment: [0] }, c, undefined);
    expect(m[0]).toBeCloseTo(0.05, 15);
    expect(v[0]).toBeCloseTo(0.00025, 15);
    expect(theta[0]).toBeCloseTo(1 - 0.0005 / 0.50000001, 14);
  });

  it('gives the same bits on its branch-free path as on its general path when the maximum changes nothing', () => {
    // A zero running maximum sends the update through the general (AMSGrad) loop; max(0, v) = v
    // since v >= 0, so both paths must agree exactly.
    fc.assert(fc.property(inputs, (input) => {
      const fast = run(input, input.coefficients, undefined);
      const general = run(input, input.coefficients, new Float64Array(input.theta.length));
      for (let index = 0; index < fast.length; index++) expect(bitsEqual(fast[index], general[index])).toBe(true);
    }), { numRuns: 100 });
  });
});
