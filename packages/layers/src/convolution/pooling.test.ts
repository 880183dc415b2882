import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput, separatedInput } from '../testing/gradient-check.js';
import { AvgPool2D, type AvgPool2DOptions } from './avg-pool2d.js';
import { windowGeometry } from './geometry.js';
import { MaxPool2D } from './max-pool2d.js';

const image = tensor(
  [
    [
      [
        [1, 5, 2, 0],
        [3, 4, 8, 7],
        [0, 9, 1, 1],
        [6, 2, 3, 2],
      ],
    ],
  ],
  { dtype: 'float64' },
);

describe('MaxPool2D', () => {
  it('takes the window maximum and routes the gradient to it', () => {
    const pool = new MaxPool2D(2);
    // Windows (2x2, stride 2): {1,5,3,4} → 5, {2,0,8,7} → 8, {0,9,6,2} → 9, {1,1,3,2} → 3.
    expect(pool.forward(image).toArray()).toEqual([
      [
        [
          [5, 8],
          [9, 3],
        ],
      ],
    ]);
    const inputGradient = pool.backward(
      tensor(
        [
          [
            [
              [10, 20],
              [30, 40],
            ],
          ],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(inputGradient.toArray()).toEqual([
      [
        [
          [0, 10, 0, 0],
          [0, 0, 20, 0],
          [0, 30, 0, 0],
          [0, 0, 40, 0],
        ],
      ],
    ]);
  });

  it('pads with positions that never win (same padding, stride 1)', () => {
    // 3x3 windows centred on each pixel of the top row: max of the neighbourhood.
    const output = new MaxPool2D(3, { stride: 1, padding: 'same' }).forward(image);
    expect(output.shape).toEqual([1, 1, 4, 4]);
    expect((output.toArray() as number[][][][])[0][0][0]).toEqual([5, 8, 8, 8]);
  });

  it('backward matches central differences over random shapes, strides and paddings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('valid' as const, 'same' as const, 1),
        fc.integer({ min: 0, max: 1e6 }),
        (batchSize, channels, height, width, poolSize, strides, padding, seed) => {
          const pool = new MaxPool2D(Math.max(poolSize, 2), { stride: strides, padding });
          // Well-separated values: a near-tie within ε would let the difference quotient switch winners.
          expectGradientsToMatch(
            checkLayerGradients(pool, separatedInput([batchSize, channels, height, width], seed), { seed }),
          );
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('AvgPool2D', () => {
  it('averages the window, without counting padding', () => {
    expect(new AvgPool2D(2).forward(image).toArray()).toEqual([
      [
        [
          [13 / 4, 17 / 4],
          [17 / 4, 7 / 4],
        ],
      ],
    ]);
    // Same padding with a 3x3 window at the corner sees only the 2x2 block {1, 5, 3, 4}: 13/4.
    const corner = new AvgPool2D(3, { stride: 1, padding: 'same' }).forward(image).get(0, 0, 0, 0);
    expect(corner).toBe(13 / 4);
  });

  it('spreads dy/k over the window', () => {
    const pool = new AvgPool2D(2);
    pool.forward(image);
    expect(
      pool
        .backward(
          tensor(
            [
              [
                [
                  [4, 8],
                  [12, 16],
                ],
              ],
            ],
            { dtype: 'float64' },
          ),
        )
        .get(0, 0, 1, 3),
    ).toBe(2);
  });

  it('backward matches central differences over random shapes, strides and paddings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('valid' as const, 'same' as const),
        fc.integer({ min: 0, max: 1e6 }),
        (batchSize, channels, height, width, poolSize, strides, padding, seed) => {
          const pool = new AvgPool2D([poolSize, 2], { stride: strides, padding });
          expectGradientsToMatch(
            checkLayerGradients(pool, randomInput([batchSize, channels, height, width], seed), { seed }),
          );
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('AvgPool2D countPadding', () => {
  it('divides every window by kH·kW when padding counts (hand-derived)', () => {
    // Same padding, 3x3 window at the corner: the in-image 2x2 block {1, 5, 3, 4} sums to 13,
    // divided by all 9 positions (PyTorch's count_include_pad=True) instead of 4.
    const pool = new AvgPool2D(3, { stride: 1, padding: 'same', countPadding: true });
    expect(pool.forward(image).get(0, 0, 0, 0)).toBe(13 / 9);
    // Each in-image input of that corner window receives dy/9.
    const gradient = tensor(
      [
        [
          [
            [9, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
          ],
        ],
      ],
      { dtype: 'float64' },
    );
    expect(
      (pool.backward(gradient).toArray() as number[][][][])[0][0].slice(0, 2).map((row) => row.slice(0, 2)),
    ).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('changes nothing without padding', () => {
    const counted = new AvgPool2D(2, { countPadding: true }).forward(image).clone();
    expect(Array.from(counted.data)).toEqual(Array.from(new AvgPool2D(2).forward(image).data));
  });

  it('backward matches central differences with countPadding over random shapes, strides and paddings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 3, max: 6 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.constantFrom('valid' as const, 'same' as const, 1),
        fc.integer({ min: 0, max: 1e6 }),
        (channels, height, width, poolSize, strides, padding, seed) => {
          const pool = new AvgPool2D([poolSize, 2], { stride: strides, padding, countPadding: true });
          expectGradientsToMatch(checkLayerGradients(pool, randomInput([2, channels, height, width], seed), { seed }));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('records countPadding in its config only when true, and rejects a non-boolean', () => {
    expect(new AvgPool2D(2).getConfig()).not.toHaveProperty('countPadding');
    const config = new AvgPool2D(3, { padding: 1, countPadding: true }).getConfig();
    expect(config.countPadding).toBe(true);
    expect(AvgPool2D.fromConfig(config).countPadding).toBe(true);
    expect(() => new AvgPool2D(2, { countPadding: 'yes' as unknown as boolean })).toThrow(
      'AvgPool2D "avg_pool2d": countPadding must be true or false, got "yes"',
    );
  });

  const fixtures = JSON.parse(readFileSync(new URL('./fixtures/torch-avg-pool.json', import.meta.url), 'utf8')) as {
    torch: string;
    cases: Array<{
      name: string;
      inputShape: number[];
      input: number[];
      options: AvgPool2DOptions & { poolSize: number | [number, number] };
      outputShape: number[];
      projection: number[];
      expectedOutput: number[];
      expectedInputGradient: number[];
    }>;
  };
  for (const testCase of fixtures.cases) {
    it(`equals PyTorch ${fixtures.torch}'s avg_pool2d: ${testCase.name}`, () => {
      const pool = new AvgPool2D(testCase.options.poolSize, { ...testCase.options, dtype: 'float64' });
      const output = pool.forward(new Tensor(Float64Array.from(testCase.input), testCase.inputShape));
      expect(output.shape).toEqual(testCase.outputShape);
      const inputGradient = pool.backward(new Tensor(Float64Array.from(testCase.projection), testCase.outputShape));
      // 1e-14: PyTorch adds a window in another order.
      output.data.forEach((value, index) =>
        expect(Math.abs(value - testCase.expectedOutput[index])).toBeLessThanOrEqual(1e-14),
      );
      inputGradient.data.forEach((value, index) =>
        expect(Math.abs(value - testCase.expectedInputGradient[index])).toBeLessThanOrEqual(1e-14),
      );
    });
  }
});

describe('window geometry', () => {
  it('follows the TensorFlow rules for valid and same', () => {
    // valid: ⌊(28 − 3)/1⌋ + 1 = 26; same: ⌈28/2⌉ = 14 with total padding (14 − 1)·2 + 3 − 28 = 1 → 0 top, 1 bottom.
    expect(windowGeometry('t', 28, 28, [3, 3], [1, 1], [1, 1], 'valid').outputHeight).toBe(26);
    const same = windowGeometry('t', 28, 28, [3, 3], [2, 2], [1, 1], 'same');
    expect([same.outputHeight, same.padTop, same.padBottom]).toEqual([14, 0, 1]);
    // dilation 2 makes a 3x3 kernel span 5: (10 + 2·1 − 5) + 1 = 8.
    expect(windowGeometry('t', 10, 10, [3, 3], [1, 1], [2, 2], 1).outputWidth).toBe(8);
  });

  it('rejects windows larger than the input and too much padding', () => {
    expect(() => new MaxPool2D(5, { name: 'pool' }).forward(randomInput([1, 1, 3, 3], 1))).toThrow(
      'MaxPool2D "pool": a 5x5 window (dilation 1x1) does not fit a 3x3 input with padding "valid"',
    );
    expect(() => new MaxPool2D(2, { padding: 2 })).toThrow(AnnetError);
    expect(() => new AvgPool2D(2).forward(randomInput([2, 4], 1))).toThrow(
      'AvgPool2D "avg_pool2d": expected input [N,C,H,W], got [2,4]',
    );
  });
});
