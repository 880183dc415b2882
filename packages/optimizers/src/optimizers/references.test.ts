import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RuleState, StepContext } from '../core/update-rule.js';
import { Adam, adamReference, adamUpdate, type AdamHyperparameters } from './adam.js';
import { AdamW } from './adamw.js';
import { NAdam, nadamReference, nadamUpdate, type NAdamHyperparameters } from './nadam.js';
import { RAdam, radamReference, radamUpdate, type RAdamHyperparameters } from './radam.js';
import { SGD, sgdReference, sgdUpdate, type SGDHyperparameters } from './sgd.js';

/*
 * Each optimizer's fast fused loop against the readable reference in its own file (PyTorch's
 * docstring line by line): the same trajectory over several steps, within float64 rounding (the
 * fast loops fold bias corrections into per-step numbers, so the last bits may differ) and within
 * float32 rounding for float32 state (the references round m and v to float32 between lines,
 * the fast loops keep them in float64 within a step).
 */

type Fast<H> = (
  value: Float64Array | Float32Array,
  gradient: Float64Array | Float32Array,
  state: RuleState,
  context: StepContext,
  h: H,
) => void;
type Reference<H> = (
  value: Float64Array | Float32Array,
  gradient: Float64Array | Float32Array,
  state: RuleState,
  context: StepContext,
  h: H,
) => void;

interface Case<H> {
  readonly label: string;
  readonly hyperparameters: H;
  readonly slots: readonly string[];
  readonly scalars: { readonly [name: string]: number };
  readonly fast: Fast<H>;
  readonly reference: Reference<H>;
}

function runCase<H>(
  c: Case<H>,
  theta0: number[],
  gradients: number[][],
  learningRates: number[],
  dtype: 'float32' | 'float64',
): { fast: number[]; reference: number[] } {
  const Type = dtype === 'float32' ? Float32Array : Float64Array;
  const make = () => ({
    value: Type.from(theta0),
    state: {
      slots: Object.fromEntries(c.slots.map((slot) => [slot, new Type(theta0.length)])),
      scalars: { ...c.scalars },
    },
  });
  const fast = make();
  const reference = make();
  gradients.forEach((gradient, index) => {
    const context = { step: index + 1, learningRate: learningRates[index] };
    c.fast(fast.value, Type.from(gradient), fast.state, context, c.hyperparameters);
    c.reference(reference.value, Type.from(gradient), reference.state, context, c.hyperparameters);
  });
  return { fast: [...fast.value], reference: [...reference.value] };
}

const config = <H>(optimizer: { config: object }) => optimizer.config as unknown as H;
const adamCase = (label: string, options: object, decoupled: boolean): Case<AdamHyperparameters> => {
  const h = config<AdamHyperparameters>(decoupled ? new AdamW(options) : new Adam(options));
  return {
    label,
    hyperparameters: h,
    slots: h.amsgrad ? ['firstMoment', 'secondMoment', 'maxSecondMoment'] : ['firstMoment', 'secondMoment'],
    scalars: {},
    fast: (value, gradient, state, context, hyperparameters) =>
      adamUpdate(value, gradient, state, context, hyperparameters, decoupled),
    reference: (value, gradient, state, context, hyperparameters) =>
      adamReference(value, gradient, state.slots, context, hyperparameters, decoupled),
  };
};
const sgdCase = (label: string, options: object): Case<SGDHyperparameters> => {
  const h = config<SGDHyperparameters>(new SGD(options));
  return {
    label,
    hyperparameters: h,
    slots: h.momentum !== 0 ? ['momentumBuffer'] : [],
    scalars: {},
    fast: sgdUpdate,
    reference: (v, g, s, c, hp) => sgdReference(v, g, s.slots, c, hp),
  };
};
const nadamCase = (label: string, options: object): Case<NAdamHyperparameters> => ({
  label,
  hyperparameters: config<NAdamHyperparameters>(new NAdam(options)),
  slots: ['firstMoment', 'secondMoment'],
  scalars: { muProduct: 1 },
  fast: nadamUpdate,
  reference: nadamReference,
});
const radamCase = (label: string, options: object): Case<RAdamHyperparameters> => ({
  label,
  hyperparameters: config<RAdamHyperparameters>(new RAdam(options)),
  slots: ['firstMoment', 'secondMoment'],
  scalars: {},
  fast: radamUpdate,
  reference: (v, g, s, c, hp) => radamReference(v, g, s.slots, c, hp),
});

const cases: Case<never>[] = [
  sgdCase('SGD', {}),
  sgdCase('SGD, weight decay, maximize', { weightDecay: 0.01, maximize: true }),
  sgdCase('SGD momentum, dampening', { momentum: 0.9, dampening: 0.1 }),
  sgdCase('SGD nesterov, weight decay', { momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  adamCase('Adam', {}, false),
  adamCase('Adam amsgrad, L2, maximize', { amsgrad: true, weightDecay: 0.01, maximize: true }, false),
  adamCase('AdamW', {}, true),
  adamCase('AdamW amsgrad', { amsgrad: true, beta1: 0.8, beta2: 0.99 }, true),
  nadamCase('NAdam', {}),
  nadamCase('NAdam L2, maximize', { weightDecay: 0.01, momentumDecay: 0.01, maximize: true }),
  nadamCase('NAdamW', { weightDecay: 0.01, decoupledWeightDecay: true }),
  radamCase('RAdam', {}),
  radamCase('RAdam L2, beta2 0.9, maximize', { weightDecay: 0.01, beta2: 0.9, maximize: true }),
  radamCase('RAdamW', { weightDecay: 0.01, decoupledWeightDecay: true }),
] as never;

// 12 steps: RAdam with β2 = 0.999 is unrectified (ρ_t ≤ 5) for its first 5 steps, rectified after.
const trajectories = fc.integer({ min: 1, max: 6 }).chain((size) =>
  fc.record({
    theta0: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: size, maxLength: size }),
    gradients: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: size, maxLength: size }), {
      minLength: 12,
      maxLength: 12,
    }),
    learningRates: fc.array(fc.double({ min: 1e-4, max: 0.1, noNaN: true }), { minLength: 12, maxLength: 12 }),
  }),
);

function closeTo(actual: number[], expected: number[], relative: number): void {
  actual.forEach((value, index) =>
    expect(Math.abs(value - expected[index])).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected[index]))),
  );
}

describe('each fast update equals the readable reference beside it', () => {
  for (const c of cases) {
    it(`${c.label}: the same trajectory within float64 rounding (float64 state)`, () => {
      fc.assert(
        fc.property(trajectories, ({ theta0, gradients, learningRates }) => {
          const { fast, reference } = runCase(c, theta0, gradients, learningRates, 'float64');
          closeTo(fast, reference, 1e-12);
        }),
        { numRuns: 40 },
      );
    });
    it(`${c.label}: the same trajectory within float32 rounding (float32 state)`, () => {
      fc.assert(
        fc.property(trajectories, ({ theta0, gradients, learningRates }) => {
          const { fast, reference } = runCase(c, theta0, gradients, learningRates, 'float32');
          closeTo(fast, reference, 1e-4);
        }),
        { numRuns: 20 },
      );
    });
  }
});
