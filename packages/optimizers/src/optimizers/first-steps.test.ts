import { describe, expect, it } from 'vitest';
import { makeParameter } from '../testing/fixtures.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Lion } from './lion.js';
import { NAdam } from './nadam.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** One parameter [θ0] = [1] with gradient [0.5]: every first step below is worked out by hand. */
function oneStep(optimizer: { step(parameters: never): void }, theta = 1, gradient = 0.5): number {
  const parameter = makeParameter('w', [1], [theta]);
  parameter.grad[0] = gradient;
  optimizer.step([parameter] as never);
  return parameter.value[0];
}

describe('hand-derived first steps', () => {
  it('SGD: θ − γg = 1 − 0.1·0.5 = 0.95; with λ = 0.1, g = 0.5 + 0.1·1 = 0.6 so θ = 0.94', () => {
    expect(oneStep(new SGD({ learningRate: 0.1 }))).toBeCloseTo(0.95, 15);
    expect(oneStep(new SGD({ learningRate: 0.1, weightDecay: 0.1 }))).toBeCloseTo(0.94, 15);
  });

  it('SGD with momentum: b1 = g, then b2 = 0.9·0.5 + 1 = 1.45 so θ2 = 0.95 − 0.145 = 0.805', () => {
    const parameter = makeParameter('w', [1], [1]);
    const sgd = new SGD({ learningRate: 0.1, momentum: 0.9 });
    parameter.grad[0] = 0.5;
    sgd.step([parameter]);
    expect(parameter.value[0]).toBeCloseTo(0.95, 15);
    parameter.grad[0] = 1;
    sgd.step([parameter]);
    expect(parameter.value[0]).toBeCloseTo(0.805, 15);
    expect(sgd.parameterState('w')?.slots.momentumBuffer[0]).toBeCloseTo(1.45, 15);
  });

  it('SGD with Nesterov: b = g, g + μb = 1.9·0.5 = 0.95, θ = 1 − 0.095 = 0.905', () => {
    expect(oneStep(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }))).toBeCloseTo(0.905, 15);
  });

  it('SGD maximizing climbs: θ = 1 + 0.1·0.5 = 1.05', () => {
    expect(oneStep(new SGD({ learningRate: 0.1, maximize: true }))).toBeCloseTo(1.05, 15);
  });

  it('Adam: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, θ = 1 − 0.1·0.5/(0.5 + 1e-8) ≈ 0.9 + 2e-9', () => {
    // 0.5 / (0.5 + 1e-8) = 1 − 2e-8 + O(1e-16), so θ = 1 − 0.1 + 2e-9.
    expect(oneStep(new Adam({ learningRate: 0.1 }))).toBeCloseTo(0.900000002, 14);
  });

  it('AdamW: θ·(1 − γλ) = 1 − 0.1·0.01 = 0.999, then the Adam step 0.1·(1 − 2e-8): 0.899000002', () => {
    expect(oneStep(new AdamW({ learningRate: 0.1 }))).toBeCloseTo(0.899000002, 14);
  });

  it('RMSprop: v = 0.01·0.25 = 0.0025, √v = 0.05, θ = 1 − 0.01·0.5/(0.05 + 1e-8) ≈ 0.9 + 2e-8', () => {
    // 0.5 / 0.05000001 = 10·(1 − 2e-7), times γ = 0.01: 0.1 − 2e-8.
    expect(oneStep(new RMSprop())).toBeCloseTo(0.90000002, 13);
  });

  it('RMSprop centered: g_ave = 0.005, ṽ = 0.0025 − 0.000025 = 0.002475, θ = 1 − 0.01·0.5/√0.002475', () => {
    // √0.002475 = 0.0497493718553..., 0.005 / that = 0.100503781525921...
    expect(oneStep(new RMSprop({ centered: true, epsilon: 0 }))).toBeCloseTo(1 - 0.100503781525921, 12);
  });

  it('Adagrad: s = 0.25, θ = 1 − 0.01·0.5/(0.5 + 1e-10) ≈ 0.99 + 2e-12', () => {
    expect(oneStep(new Adagrad())).toBeCloseTo(0.99, 11);
  });

  it('Adadelta: v = 0.025, Δ = √1e-6/√0.025001 · 0.5 = 0.00316221..., θ = 1 − Δ', () => {
    // √1e-6 = 0.001; √0.025001 = 0.15811705; 0.001/0.15811705 · 0.5 = 0.00316221
    expect(oneStep(new Adadelta())).toBeCloseTo(1 - 0.00316221, 8);
  });

  it('Adamax: m = 0.05, u = 0.5 + 1e-8, θ = 1 − 0.002·0.05/(0.1·u) ≈ 0.998', () => {
    // 0.05 / (0.1 · 0.50000001) = 1 − 2e-8, times γ = 0.002: 0.002 − 4e-11.
    expect(oneStep(new Adamax())).toBeCloseTo(0.998, 10);
  });

  it('NAdam: μ1 = 0.9(1 − ½·0.96^0.004), μ2 = 0.9(1 − ½·0.96^0.008); m̂ = μ2·0.05/(1 − μ1μ2) + (1 − μ1)·0.5/(1 − μ1)', () => {
    // 0.96^0.004 = 0.99983673, μ1 = 0.45007347; 0.96^0.008 = 0.99967348, μ2 = 0.45014694;
    // μ1μ2 = 0.20259919. m̂ = 0.45014694·0.05/0.79740081 + 0.5 = 0.02822589 + 0.5 = 0.52822589;
    // v̂ = 0.25, so θ = 1 − 0.002·0.52822589/0.50000001 = 1 − 0.00211290 = 0.99788710.
    expect(oneStep(new NAdam())).toBeCloseTo(0.9978871, 7);
  });

  it('RAdam: ρ1 = 1999 − 2·0.999/0.001 = 1 ≤ 5, so no adaptive step: θ = 1 − 0.001·m̂ = 1 − 0.001·0.5 = 0.9995', () => {
    expect(oneStep(new RAdam())).toBeCloseTo(0.9995, 15);
  });

  it('Lion: c = 0.1·0.5 > 0, θ = 1 − 1e-4·(1 + 0.1·1) = 0.99989 with λ = 0.1; m = 0.01·0.5 = 0.005', () => {
    const lion = new Lion({ weightDecay: 0.1 });
    const parameter = makeParameter('w', [1], [1]);
    parameter.grad[0] = 0.5;
    lion.step([parameter]);
    expect(parameter.value[0]).toBeCloseTo(0.99989, 15);
    expect(lion.parameterState('w')?.slots.momentum[0]).toBeCloseTo(0.005, 15);
  });

  it('every optimizer leaves a parameter with zero gradient and no weight decay unchanged', () => {
    const optimizers = [
      new SGD(),
      new Adam(),
      new RMSprop(),
      new Adagrad(),
      new Adadelta(),
      new Adamax(),
      new NAdam(),
      new RAdam(),
      new Lion(),
    ];
    for (const optimizer of optimizers) expect(oneStep(optimizer, 1.25, 0)).toBe(1.25);
  });
});
