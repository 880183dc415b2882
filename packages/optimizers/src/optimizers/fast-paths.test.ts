import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { bitsEqual, makeParameter } from '../testing/fixtures.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { SGD } from './sgd.js';

/*
 * SGD has branch-free loops for its most common settings. Maximizing with the negated gradient is
 * the same arithmetic (−1 · −g = g exactly) but runs the general loop, so the two paths can be
 * compared bit for bit. Adam and AdamW fold maximize into a sign inside the shared loop, so for
 * them this checks the sign handling; adaptive-moments.test.ts compares that loop's two paths.
 */
function run(
  optimizer: Optimizer<never>,
  gradients: number[][],
  negate: boolean,
  dtype: 'float32' | 'float64',
): Float32Array | Float64Array {
  const parameter = makeParameter(
    'w',
    [gradients[0].length],
    gradients[0].map((_, i) => (i % 3) - 1 + i / 7),
    dtype,
  );
  for (const gradient of gradients) {
    parameter.grad.set(negate ? gradient.map((value) => -value) : gradient);
    optimizer.step([parameter]);
  }
  return parameter.value;
}

const gradientRuns = fc.integer({ min: 1, max: 9 }).chain((size) =>
  fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: size, maxLength: size }), {
    minLength: 1,
    maxLength: 8,
  }),
);

describe('fast paths compute exactly what the general loops compute', () => {
  const cases: Array<[string, (maximize: boolean) => Optimizer<never>]> = [
    ['SGD', (maximize) => new SGD({ learningRate: 0.1, maximize }) as never],
    [
      'SGD with momentum',
      (maximize) => new SGD({ learningRate: 0.1, momentum: 0.9, dampening: 0.2, maximize }) as never,
    ],
    ['Adam', (maximize) => new Adam({ learningRate: 0.01, maximize }) as never],
    ['AdamW', (maximize) => new AdamW({ learningRate: 0.01, maximize }) as never],
  ];
  it.each(cases)('%s', (_name, create) => {
    fc.assert(
      fc.property(gradientRuns, fc.boolean(), (gradients, single) => {
        const dtype = single ? 'float32' : 'float64';
        expect(bitsEqual(run(create(false), gradients, false, dtype), run(create(true), gradients, true, dtype))).toBe(
          true,
        );
      }),
      { numRuns: 60 },
    );
  });
});
