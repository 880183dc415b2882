import fc from 'fast-check';
import { expect } from 'vitest';
import { residentZeros } from '../resident.js';

/**
 * Test helpers shared by the LSTM and GRU cell resident op tests: resident float32 inputs, the
 * float64 σ of the references, and the float32-ulps tolerance they are held to. Not part of the
 * package (excluded from the build).
 */

/** A float32 array resident in the kernels' memory holding `values` (one zero when empty). */
export function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)], 'float32').data as Float32Array;
  array.set(values);
  return array;
}

/** σ(x) = 1 / (1 + e⁻ˣ) in float64, for the references. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

// Tolerances in float32 ulps: ε = 2⁻²³ (the spacing of floats in [1, 2)), times the scale of
// each result, the sum of the magnitudes of the terms it is made of, so a cancellation is not
// charged to the kernel. σ and tanh are a few roundings each (exp within about 1 ulp, then an add
// and a divide; Eigen's tanh within about 2); the cell update adds two rounded products; an
// error δ in c′ moves tanh c′ by (1 − tanh²c′)·δ. The kernels stay within 4ε·scale over these
// properties (2ε·scale fails, forward and backward); the bound is 8ε·scale, + 2⁻¹²⁶ (the
// smallest normal float32) for results that are subnormal (σ of −87 or so).

/** ε = 2⁻²³, the spacing of float32s in [1, 2). */
export const epsilon = 2 ** -23;
/** How many ε times its scale a kernel result may be from the float64 reference. */
export const ulps = 8;
/** 2⁻¹²⁶, the smallest normal float32: the slack for results that are subnormal. */
const floor = 2 ** -126;

/** Expects `actual` within ulps·ε·scale + 2⁻¹²⁶ of `expected`, naming `what` when it is not. */
export function expectWithin(actual: number, expected: number, scale: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    ulps * epsilon * scale + floor,
  );
}

/** Finite float32 values in [−limit, limit] (NaN left out). */
export const float32 = (limit: number) => fc.float({ min: -limit, max: limit, noNaN: true });

/** Row counts of the cell property tests, 1 to 3 (each row has its own gate and state offsets). */
export const rowCounts = fc.integer({ min: 1, max: 3 });

/** Hidden sizes of the cell property tests, 1 to 11: under, at and over one vector of four, every tail length. */
export const hiddenSizes = fc.integer({ min: 1, max: 11 });

/** float32 values in [0, 1], such as σ leaves in a gate. */
export const unitInterval = fc.float({ min: 0, max: 1, noNaN: true });

/** float32 values in [−1, 1], such as tanh leaves in a gate. */
export const signedUnitInterval = fc.float({ min: -1, max: 1, noNaN: true });
