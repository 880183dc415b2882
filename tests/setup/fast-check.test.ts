import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEST_SEED, resolveTestSeed, usesFastCheck } from './fast-check.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** fast-check's report of a failed property and the error the predicate's run gave (its `cause`). */
async function failureOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return `${(error as Error).message}\ncause: ${String((error as Error).cause)}`;
  }
  throw new Error('the property passed');
}

describe('the shared test setup', () => {
  it('runs every property from the fixed seed unless ANNET_TEST_SEED says otherwise', () => {
    if (process.env.ANNET_TEST_SEED === undefined) expect(fc.readConfigureGlobal().seed).toBe(DEFAULT_TEST_SEED);
    expect(resolveTestSeed(undefined)).toBe(DEFAULT_TEST_SEED);
    expect(resolveTestSeed('')).toBe(DEFAULT_TEST_SEED);
    expect(resolveTestSeed('23615')).toBe(23615);
    expect(resolveTestSeed('random', () => 77)).toBe(77);
    expect(() => resolveTestSeed('soon')).toThrow('ANNET_TEST_SEED: got "soon", expected an integer or "random"');
  });

  it('draws the same values on every run (the seed is fixed)', () => {
    const first: number[][] = [];
    const second: number[][] = [];
    fc.assert(
      fc.property(fc.array(fc.nat()), (values) => void first.push([...values])),
      { numRuns: 20 },
    );
    fc.assert(
      fc.property(fc.array(fc.nat()), (values) => void second.push([...values])),
      { numRuns: 20 },
    );
    expect(second).toEqual(first);
  });

  it('prints the seed and the path of a counterexample, to replay it', () => {
    expect(() => fc.assert(fc.property(fc.integer(), (value) => value < 1000))).toThrow(/seed: -?\d+, path: "[\d:]+"/);
  });

  it('fails a predicate that mutates its generated input, naming the argument, and stops shrinking', async () => {
    const started = Date.now();
    let runs = 0;
    const property = fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1 }), (shape) => {
      runs++;
      shape[0] += 1; // the bug of issue 13: the generated array is changed in place
    });
    const report = await failureOf(() => fc.assert(property));
    expect(report).toMatch(/cause: Error: the property's predicate changed argument 1: was \[\d.*\], is now \[\d.*\]/);
    expect(report).toMatch(/seed: 20261203|seed: -?\d+/);
    expect(runs).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('catches in-place changes of typed arrays and nested objects, and lets copies through', async () => {
    expect(
      await failureOf(() =>
        fc.assert(fc.property(fc.float64Array({ minLength: 1, noNaN: true }), (values) => void values.fill(0.5))),
      ),
    ).toMatch(/cause: .*changed argument 1/);
    expect(
      await failureOf(() =>
        fc.assert(
          fc.property(fc.record({ shape: fc.array(fc.nat(), { minLength: 1 }) }), ({ shape }) => void shape.push(1)),
        ),
      ),
    ).toMatch(/cause: .*changed argument 1/);
    fc.assert(fc.property(fc.array(fc.nat()), (values) => void [...values].sort().push(1)));
  });

  it('fails an async predicate that mutates its input too', async () => {
    expect(
      await failureOf(() =>
        fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 1 }), async (values) => void values.pop())),
      ),
    ).toMatch(/cause: .*changed argument 1/);
  });

  it('loads fast-check only for test files that use it, directly or through a helper', () => {
    expect(usesFastCheck(path.join(root, 'packages/layers/src/activations/softmax.test.ts'))).toBe(true);
    expect(usesFastCheck(path.join(root, 'tests/architecture.test.ts'))).toBe(false);
    expect(usesFastCheck(path.join(root, 'packages/tensor/src/testing/arbitraries.ts'))).toBe(true);
  });
});
