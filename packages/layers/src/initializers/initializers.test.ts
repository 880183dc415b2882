import fc from 'fast-check';
import { AnnetError, createRng } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { initializerFromConfig } from './initializer-from-config.js';
import { constantInitializer, initializers, normalInitializer, uniformInitializer } from './initializers.js';

function moments(values: Float64Array): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return { mean, variance };
}

describe('initializers', () => {
  const fans = { fanIn: 300, fanOut: 100 };
  const samples = 40_000;

  it('glorotUniform draws rng.uniform(−l, l) in index order with l = √(6/(fanIn + fanOut))', () => {
    const limit = Math.sqrt(6 / 400);
    const values = new Float64Array(50);
    initializers.glorotUniform(values, fans, createRng(3));
    const reference = createRng(3);
    expect(Array.from(values)).toEqual(Array.from({ length: 50 }, () => reference.uniform(-limit, limit)));
  });

  // Variance of U(−l, l) is l²/3; of N(0, σ²) is σ². Tolerances are 4 standard errors at n = 40 000.
  const expectedVariance: Record<string, number> = {
    glorotUniform: 6 / 400 / 3,
    glorotNormal: 2 / 400,
    heUniform: 6 / 300 / 3,
    heNormal: 2 / 300,
    lecunNormal: 1 / 300,
    uniform: 0.05 ** 2 / 3,
    normal: 0.05 ** 2,
  };
  for (const [name, variance] of Object.entries(expectedVariance)) {
    it(`${name} has mean 0 and variance ${variance.toPrecision(3)}`, () => {
      const values = new Float64Array(samples);
      initializers[name as keyof typeof initializers](values, fans, createRng(11));
      const measured = moments(values);
      expect(Math.abs(measured.mean)).toBeLessThan(4 * Math.sqrt(variance / samples));
      expect(Math.abs(measured.variance / variance - 1)).toBeLessThan(4 * Math.sqrt(2 / samples));
    });
  }

  it('uniform initializers stay inside their bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer(),
        (fanIn, fanOut, seed) => {
          const values = new Float32Array(64);
          initializers.heUniform(values, { fanIn, fanOut }, createRng(seed));
          const limit = Math.sqrt(6 / fanIn);
          for (const value of values) expect(Math.abs(value)).toBeLessThanOrEqual(Math.fround(limit));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('zeros, ones and constant fill without drawing from the rng', () => {
    const rng = createRng(5);
    const before = rng.state();
    const values = new Float32Array(3);
    initializers.ones(values, fans, rng);
    expect(Array.from(values)).toEqual([1, 1, 1]);
    constantInitializer(0.25)(values, fans, rng);
    expect(Array.from(values)).toEqual([0.25, 0.25, 0.25]);
    initializers.zeros(values, fans, rng);
    expect(Array.from(values)).toEqual([0, 0, 0]);
    expect(rng.state()).toEqual(before);
  });

  it('are deterministic for a seed', () => {
    const a = new Float32Array(20);
    const b = new Float32Array(20);
    initializers.heNormal(a, fans, createRng(9));
    initializers.heNormal(b, fans, createRng(9));
    expect(a).toEqual(b);
  });

  it('initializerFromConfig resolves names and argument objects', () => {
    const values = new Float64Array(1000);
    initializerFromConfig({ name: 'uniform', low: 2, high: 3 })(values, fans, createRng(1));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...values)).toBeLessThan(3);
    initializerFromConfig({ name: 'constant', value: 7 })(values, fans, createRng(1));
    expect(values[999]).toBe(7);
    expect(initializerFromConfig('heNormal')).toBe(initializers.heNormal);
    expect(initializerFromConfig({ name: 'glorotUniform' })).toBe(initializers.glorotUniform);
    const normal = new Float64Array(1);
    initializerFromConfig({ name: 'normal', mean: 10, standardDeviation: 0 })(normal, fans, createRng(1));
    expect(normal[0]).toBe(10);
  });

  it('rejects unknown initializers and bad arguments', () => {
    expect(() => initializerFromConfig('kaiming' as 'heNormal')).toThrow(AnnetError);
    expect(() => uniformInitializer(1, 0)).toThrow('uniform initializer: expected finite low < high, got [1, 0)');
    expect(() => normalInitializer(0, -1)).toThrow(AnnetError);
    expect(() => initializers.heNormal(new Float32Array(1), { fanIn: 0, fanOut: 1 }, createRng(0))).toThrow(AnnetError);
  });
});
