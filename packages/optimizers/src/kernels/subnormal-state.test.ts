import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { Adam } from '../optimizers/adam.js';
import { AdamW } from '../optimizers/adamw.js';
import { Lion } from '../optimizers/lion.js';
import { NAdam } from '../optimizers/nadam.js';
import { RAdam } from '../optimizers/radam.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { initialValues, makeParameter, maxDifference } from '../testing/fixtures.js';
import { testMemory } from '../testing/resident-memory.js';

// The SIMD kernels store decaying state with subnormals flushed to zero (assembly/index.ts,
// `smallestNormal`): x86 computes on subnormals through a slow microcode assist, and state whose
// gradient stays 0 decays into them and stays there. The TypeScript updates (float64 arithmetic,
// float32 storage) keep IEEE subnormals, so they show that the case arises.

const smallestNormal = 2 ** -126;
// 37 elements: nine SIMD vectors and a scalar tail of one, so both code paths are covered.
const size = 37;

function isSubnormal(value: number): boolean {
  return value !== 0 && Math.abs(value) < smallestNormal;
}

/** Gradients: 5 steps of ±0.3-ish values, then zeros (a pixel that is always 0, a dead ReLU). */
function fadingGradients(steps: number): number[][] {
  return Array.from({ length: steps }, (_, step) =>
    Array.from({ length: size }, (_, index) => (step < 5 ? (((index * 7 + step * 3) % 11) - 5.5) / 17 : 0)),
  );
}

function run(
  create: () => Optimizer,
  resident: boolean,
  gradients: number[][],
): { value: Float32Array; slots: Record<string, Float32Array | Float64Array> } {
  const initial = initialValues(size, 3);
  const parameter = resident
    ? testMemory().parameter('layer.weights', [size], initial)
    : makeParameter('layer.weights', [size], initial, 'float32');
  const optimizer = create();
  for (const gradient of gradients) {
    parameter.grad.set(gradient);
    optimizer.step([parameter]);
  }
  return { value: parameter.value as Float32Array, slots: optimizer.parameterState('layer.weights')?.slots ?? {} };
}

// Each case: the optimizer, its decaying slots, and how many zero-gradient steps take them below
// 2^-126 and into the stuck smallest subnormal. A slot decaying by β from about 0.1 reaches
// 2^-149 ≈ 1.4e-45 after log(1.4e-45 / 0.1) / log β steps: 950 for β = 0.9, 10,200 for β = 0.99.
// 1,200 steps take every slot listed (β = 0.9) there.
const steps = 1200;
const cases: Array<{
  label: string;
  create: () => Optimizer;
  /** Slots the kernels must hold without subnormals. */
  flushed: string[];
  /** Slots that must keep their subnormals, as the TypeScript update does. */
  kept?: string[];
}> = [
  { label: 'Adam', create: () => new Adam({ learningRate: 1e-3 }), flushed: ['firstMoment'] },
  {
    label: 'Adam (β2 = 0.9, AMSGrad)',
    create: () => new Adam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.9, amsgrad: true }),
    flushed: ['firstMoment', 'secondMoment'],
  },
  // ε = 0: a flushed moment could turn IEEE's tiny/tiny into 0/0, so nothing is flushed.
  {
    label: 'Adam (ε = 0, β2 = 0.9)',
    create: () => new Adam({ learningRate: 1e-3, beta2: 0.9, epsilon: 0 }),
    flushed: [],
    kept: ['firstMoment', 'secondMoment'],
  },
  { label: 'AdamW', create: () => new AdamW({ learningRate: 1e-3, weightDecay: 0 }), flushed: ['firstMoment'] },
  { label: 'NAdam', create: () => new NAdam({ learningRate: 1e-3 }), flushed: ['firstMoment'] },
  { label: 'RAdam', create: () => new RAdam({ learningRate: 1e-3 }), flushed: ['firstMoment'] },
  {
    label: 'SGD momentum 0.9',
    create: () => new SGD({ learningRate: 1e-2, momentum: 0.9 }),
    flushed: ['momentumBuffer'],
  },
  {
    label: 'RMSprop α = 0.9, momentum 0.9',
    create: () => new RMSprop({ learningRate: 1e-3, alpha: 0.9, momentum: 0.9 }),
    flushed: ['squareAverage', 'momentumBuffer'],
  },
  // Centered: v − a² with v flushed and a normal would be negative; the square average keeps its subnormals.
  {
    label: 'RMSprop α = 0.9, centered, momentum 0.9',
    create: () => new RMSprop({ learningRate: 1e-3, alpha: 0.9, centered: true, momentum: 0.9 }),
    flushed: ['gradientAverage', 'momentumBuffer'],
    kept: ['squareAverage'],
  },
  // Lion steps by sign(β1·m + (1 − β1)·g): a subnormal m decides the step, so it is kept.
  {
    label: 'Lion β2 = 0.9',
    create: () => new Lion({ learningRate: 1e-4, beta1: 0.9, beta2: 0.9 }),
    flushed: [],
    kept: ['momentum'],
  },
];

describe('subnormal optimizer state in the SIMD kernels', () => {
  for (const { label, create, flushed, kept = [] } of cases) {
    it(`${label}: the TypeScript update leaves subnormal state, the kernels store 0 where it cannot matter, the parameters agree`, () => {
      const gradients = fadingGradients(steps);
      const typescript = run(create, false, gradients);
      const simd = run(create, true, gradients);
      for (const slot of [...flushed, ...kept]) {
        expect(simd.slots[slot]?.buffer, `${slot} must live in the parameter's memory`).toBeInstanceOf(
          SharedArrayBuffer,
        );
        // The case arises: IEEE arithmetic keeps the decayed state subnormal...
        expect(Array.from(typescript.slots[slot]).some(isSubnormal), `${slot}: TypeScript has subnormals`).toBe(true);
        // ...and the kernels hold none where they flush (each element is 0 or normal), the same kind elsewhere.
        if (flushed.includes(slot))
          expect(Array.from(simd.slots[slot]).filter(isSubnormal), `${slot}: SIMD subnormals`).toEqual([]);
        else expect(Array.from(simd.slots[slot]).some(isSubnormal), `${slot}: SIMD keeps subnormals`).toBe(true);
      }
      // The flush moves no parameter beyond float32 rounding of the two arithmetics.
      expect(maxDifference(simd.value, typescript.value)).toBeLessThan(2e-6);
    });
  }

  it('keeps NaN and infinity in the state (only subnormals become 0)', () => {
    const gradients = [Array.from({ length: size }, (_, index) => (index % 2 === 0 ? Number.NaN : Infinity))];
    const simd = run(() => new Adam({ learningRate: 1e-3 }), true, gradients);
    const first = simd.slots.firstMoment;
    for (let index = 0; index < size; index++) {
      // m = 0.9·0 + 0.1·g: NaN for NaN, +∞ for +∞.
      if (index % 2 === 0) expect(first[index]).toBeNaN();
      else expect(first[index]).toBe(Infinity);
    }
  });

  it('stores the smallest subnormal times β1 = 0.9 as 0, where IEEE rounding gives the smallest subnormal back', () => {
    // m_prev = 2^-149 (the smallest subnormal), g = 0: m = 0.9·2^-149 = 0.9 ulp, which rounds to
    // 1 ulp = 2^-149 in IEEE float32 (Math.fround shows it); the kernels store +0 instead.
    expect(Math.fround(0.9 * 2 ** -149)).toBe(2 ** -149);
    const memory = testMemory();
    const parameter = memory.parameter('layer.weights', [size], initialValues(size, 3));
    const adam = new Adam({ learningRate: 1e-3 });
    parameter.grad.fill(0.25);
    adam.step([parameter]);
    const state = adam.parameterState('layer.weights')!.slots;
    state.firstMoment.fill(2 ** -149);
    parameter.grad.fill(0);
    adam.step([parameter]);
    expect(Array.from(state.firstMoment)).toEqual(new Array<number>(size).fill(0));
  });
});
