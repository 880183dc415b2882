import { readFileSync } from 'node:fs';
import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy } from './binary-cross-entropy.js';
import type { LossResult } from './loss.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** One case of fixtures/torch-losses.json, written by fixtures/make-torch-loss-fixtures.py with PyTorch 1.13. */
interface TorchCase {
  readonly loss: 'softmaxCrossEntropy' | 'binaryCrossEntropy';
  readonly name: string;
  readonly logitsShape: number[];
  readonly logits: number[];
  readonly targetKind: 'labels' | 'probabilities';
  readonly targetShape: number[];
  readonly targets: number[];
  readonly options: Record<string, unknown>;
  readonly expectedLoss: number | number[];
  readonly expectedGradient: number[];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/torch-losses.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: TorchCase[];
};

function run(testCase: TorchCase): LossResult {
  const logits = new Tensor(Float64Array.from(testCase.logits), testCase.logitsShape);
  const targets =
    testCase.targetKind === 'labels'
      ? new Tensor(Int32Array.from(testCase.targets), testCase.targetShape)
      : new Tensor(Float64Array.from(testCase.targets), testCase.targetShape);
  const loss = testCase.loss === 'softmaxCrossEntropy' ? softmaxCrossEntropy : binaryCrossEntropy;
  return loss(logits, targets, testCase.options);
}

/** |actual − expected| ≤ 1e-12·max(1, |expected|): float64 agreement up to a different summation order. */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let index = 0; index < expected.length; index++) {
    const tolerance = 1e-12 * Math.max(1, Math.abs(expected[index]));
    expect(
      Math.abs(actual[index] - expected[index]),
      `${what}[${index}]: ${actual[index]} vs PyTorch ${expected[index]}`,
    ).toBeLessThanOrEqual(tolerance);
  }
}

describe(`losses against PyTorch ${fixtures.torch} (fixtures/torch-losses.json)`, () => {
  it('has cases for every option of both cross-entropies', () => {
    expect(fixtures.cases.length).toBe(36);
  });

  for (const testCase of fixtures.cases) {
    it(`${testCase.loss} ${testCase.name}: equals PyTorch's loss and gradient`, () => {
      const result = run(testCase);
      if (Array.isArray(testCase.expectedLoss)) {
        expect(result.losses?.shape).toEqual(
          testCase.loss === 'softmaxCrossEntropy' ? testCase.logitsShape.slice(0, -1) : testCase.logitsShape,
        );
        expectClose(result.losses!.data, testCase.expectedLoss, 'losses');
        expectClose([result.loss], [testCase.expectedLoss.reduce((sum, value) => sum + value, 0)], 'loss (the sum)');
      } else {
        expect(result.losses).toBeUndefined();
        expectClose([result.loss], [testCase.expectedLoss], 'loss');
      }
      expectClose(result.gradient.data, testCase.expectedGradient, 'gradient');
    });
  }
});
