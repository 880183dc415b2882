import { describe, expect, it } from 'vitest';
import { AdamW } from '../optimizers/adamw.js';
import { SGD } from '../optimizers/sgd.js';
import { reduceLROnPlateau } from '../schedules/reduce-lr-on-plateau.js';
import { optimizerFromJSON } from '../serialization/optimizer-from-json.js';
import { makeParameter } from '../testing/fixtures.js';
import { torchFixtures } from '../testing/torch-fixtures.js';

describe('parameter groups', () => {
  it('exempt biases from weight decay by pattern: only the weights shrink', () => {
    // AdamW with zero gradient: θ ← θ(1 − γλ) = 1 − 0.1·0.5 = 0.95 for weights; biases stay 1.
    const adamW = new AdamW({
      learningRate: 0.1,
      weightDecay: 0.5,
      groups: [{ pattern: '\\.biases$', weightDecay: 0 }],
    });
    const weights = makeParameter('dense.weights', [1], [1]);
    const biases = makeParameter('dense.biases', [1], [1]);
    adamW.step([weights, biases]);
    expect(weights.value[0]).toBeCloseTo(0.95, 15);
    expect(biases.value[0]).toBe(1);
  });

  it('match explicit name lists, the first matching group winning', () => {
    const sgd = new SGD({
      learningRate: 1,
      groups: [
        { names: ['a'], learningRate: 0.5 },
        { pattern: '^a|^b', learningRate: 0.25 },
      ],
    });
    expect(['a', 'b', 'c'].map((name) => sgd.currentLearningRate(name))).toEqual([0.5, 0.25, 1]);
  });

  it('may switch state on per group: momentum only where asked', () => {
    const sgd = new SGD({ learningRate: 0.1, groups: [{ names: ['fast'], momentum: 0.9 }] });
    const fast = makeParameter('fast', [1], [0]);
    const plain = makeParameter('plain', [1], [0]);
    sgd.step([fast, plain]);
    expect(Object.keys(sgd.parameterState('fast')?.slots ?? {})).toEqual(['momentumBuffer']);
    expect(Object.keys(sgd.parameterState('plain')?.slots ?? {})).toEqual([]);
  });

  it('save as plain JSON, only the overrides written per group', () => {
    const adamW = new AdamW({
      groups: [
        { pattern: '\\.biases$', weightDecay: 0 },
        { names: ['head.weights'], learningRate: 1e-4 },
      ],
    });
    expect(adamW.config.groups).toEqual([
      { pattern: '\\.biases$', weightDecay: 0 },
      { names: ['head.weights'], learningRate: 1e-4 },
    ]);
    expect(optimizerFromJSON(JSON.parse(JSON.stringify(adamW))).config).toEqual(adamW.config);
  });

  it("keep a group's own plateau schedule apart from the top-level one, and save both", () => {
    // Top level: patience 0, so the second (worse) metric halves it; the group waits (patience 5).
    const sgd = new SGD({
      learningRate: reduceLROnPlateau({ learningRate: 1, patience: 0, factor: 0.5 }),
      groups: [{ names: ['b'], learningRate: reduceLROnPlateau({ learningRate: 0.1, patience: 5, factor: 0.5 }) }],
    });
    sgd.observeMetric(1);
    sgd.observeMetric(2);
    expect([sgd.currentLearningRate('a'), sgd.currentLearningRate('b')]).toEqual([0.5, 0.1]);
    const saved = JSON.parse(JSON.stringify(sgd));
    expect(Object.keys(saved.state.schedules)).toEqual(['learningRate', 'groups[0].learningRate']);
    expect(saved.state.schedules['groups[0].learningRate']).toEqual({
      best: 1,
      badEpochs: 1,
      cooldownCounter: 0,
      scale: 1,
    });
    const restored = optimizerFromJSON(saved);
    expect([restored.currentLearningRate('a'), restored.currentLearningRate('b')]).toEqual([0.5, 0.1]);
  });

  it("scale a group's own numeric rate by the optimizer's plateau schedule, sharing its state", () => {
    // PyTorch's ReduceLROnPlateau multiplies every group's lr by factor: 1 → 0.5 and 0.2 → 0.1.
    const sgd = new SGD({
      learningRate: reduceLROnPlateau({ learningRate: 1, patience: 0, factor: 0.5 }),
      groups: [{ names: ['b'], learningRate: 0.2 }],
    });
    sgd.observeMetric(1);
    sgd.observeMetric(2);
    expect([sgd.currentLearningRate('a'), sgd.currentLearningRate('b')]).toEqual([0.5, 0.1]);
    expect(Object.keys(JSON.parse(JSON.stringify(sgd)).state.schedules)).toEqual(['learningRate']);
    expect(sgd.config.groups).toEqual([{ names: ['b'], learningRate: 0.2 }]);
  });
});

describe('a group with its own numeric learning rate under a schedule (PyTorch 1.13 fixtures)', () => {
  // PyTorch: SGD([{params: [a]}, {params: [b], lr: 0.02}], lr=0.1) under each scheduler; the lr of
  // each group before every step. annet: the same schedule as learningRate, the group's 0.02 as its rate.
  for (const fixture of torchFixtures.groupRates) {
    it(`follows the ${fixture.name} schedule from its own base rate, as PyTorch's scheduler does`, () => {
      const sgd = new SGD({ learningRate: fixture.schedule as never, groups: [{ names: ['b'], learningRate: 0.02 }] });
      const a = makeParameter('a', [2], [0, 0]);
      const b = makeParameter('b', [2], [0, 0]);
      fixture.rates.forEach(([rateA, rateB]) => {
        expect(sgd.currentLearningRate('a')).toBeCloseTo(rateA, 14);
        expect(sgd.currentLearningRate('b')).toBeCloseTo(rateB, 14);
        expect(Math.abs(sgd.currentLearningRate('b') - rateB)).toBeLessThanOrEqual(1e-12 * rateB);
        sgd.step([a, b]);
      });
    });
  }
});
