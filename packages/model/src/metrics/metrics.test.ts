import { tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Accuracy,
  accuracy,
  ConfusionMatrix,
  confusionMatrix,
  f1Score,
  MacroScoreMetric,
  meanAbsoluteError,
  meanSquaredError,
  metricFromName,
  precision,
  recall,
  RunningMean,
  TopKAccuracy,
  topKAccuracy,
} from './index.js';

// Four rows, three classes. Arg-max per row: 1, 0, 2, 2. Targets: 1, 0, 1, 2.
const scores = tensor([
  [0.1, 0.7, 0.2],
  [0.5, 0.3, 0.2],
  [0.2, 0.3, 0.5],
  [0.0, 0.1, 0.9],
]);
const indices = tensor([1, 0, 1, 2], { dtype: 'int32' });
const oneHot = tensor([
  [0, 1, 0],
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
]);

describe('accuracy', () => {
  it('counts arg-max hits: 3 of 4 rows are right (hand-derived)', () => {
    expect(accuracy(scores, indices)).toBe(0.75);
    expect(accuracy(scores, oneHot)).toBe(0.75);
  });
  it('thresholds a single sigmoid column at 0.5', () => {
    expect(accuracy(tensor([[0.2], [0.6], [0.5]]), tensor([0, 1, 0]))).toBeCloseTo(2 / 3);
  });
  it('streams over batches to the same value as one call, and resumes from its state', () => {
    const metric = new Accuracy();
    metric.update(scores.slice([0, 2]), indices.slice([0, 2]));
    const resumed = new Accuracy();
    resumed.setState(JSON.parse(JSON.stringify(metric.state())));
    resumed.update(scores.slice([2, 4]), indices.slice([2, 4]));
    expect(resumed.result()).toBe(0.75);
    resumed.reset();
    expect(resumed.result()).toBeNaN();
  });
  it('rejects targets of the wrong shape and out-of-range classes with the metric name', () => {
    expect(() => accuracy(scores, tensor([1, 0]))).toThrow(
      /accuracy: targets of shape \[2\] do not fit predictions of shape \[4,3\]/,
    );
    expect(() => accuracy(scores, tensor([1, 0, 7, 2]))).toThrow(
      /accuracy: target class 7 in row 2 is outside \[0, 3\)/,
    );
  });
});

describe('topKAccuracy', () => {
  it('counts a row when fewer than k scores beat the target (hand-derived)', () => {
    // Row 2: target 1 scores 0.3, one score (0.5) is higher: a top-2 hit, not a top-1 hit.
    expect(topKAccuracy(scores, indices, 1)).toBe(0.75);
    expect(topKAccuracy(scores, indices, 2)).toBe(1);
    expect(new TopKAccuracy({ k: 2 }).name).toBe('top2Accuracy');
  });
  it('with k = 1 equals accuracy when no row has ties (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 3 }),
            fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 4, maxLength: 4 }),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (rows) => {
          const predictions = tensor(rows.map(([, row]) => row));
          const targets = tensor(rows.map(([target]) => target));
          expect(topKAccuracy(predictions, targets, 1)).toBe(accuracy(predictions, targets));
        },
      ),
      { numRuns: 50 },
    );
  });
  it('counts a row holding NaN or infinity as a miss (as TensorFlow in_top_k)', () => {
    // No score is greater than NaN, so a NaN target once counted as a hit: a diverged model scored 100%.
    expect(topKAccuracy(tensor([[Number.NaN, Number.NaN, Number.NaN]]), tensor([0]), 1)).toBe(0);
    // Row 0: the target scores 0.9 but another class is NaN, so the ranking is unknown: a miss. Row 1 is an ordinary hit.
    expect(
      topKAccuracy(
        tensor([
          [0.9, Number.NaN, 0.1],
          [0.2, 0.7, 0.1],
        ]),
        tensor([0, 1]),
        2,
      ),
    ).toBe(0.5);
    expect(topKAccuracy(tensor([[Number.POSITIVE_INFINITY, 0.5]]), tensor([0]), 1)).toBe(0);
  });
  it('rejects k below 1', () => {
    expect(() => new TopKAccuracy({ k: 0 })).toThrow(/TopKAccuracy: k must be a positive integer, got 0/);
  });
});

describe('confusion matrix, precision, recall, F1', () => {
  it('puts true classes in rows and predicted classes in columns (hand-derived)', () => {
    expect(confusionMatrix(scores, indices).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });
  it('gives macro scores from the matrix (hand-derived)', () => {
    // Class 0: tp 1, fp 0, fn 0 -> P 1, R 1, F1 1.
    // Class 1: tp 1, fp 0, fn 1 -> P 1, R 1/2, F1 2/3.
    // Class 2: tp 1, fp 1, fn 0 -> P 1/2, R 1, F1 2/3.
    expect(precision(scores, indices)).toBeCloseTo(2.5 / 3, 12);
    expect(recall(scores, oneHot)).toBeCloseTo(2.5 / 3, 12);
    expect(f1Score(scores, indices)).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
  });
  it('leaves out classes that never occur and counts zero-denominator scores as 0', () => {
    // Five classes; only 0 and 1 occur. Class 0: tp 0, predicted 1, actual 1 -> P 0, R 0.
    // Class 1: tp 0, predicted 1, actual 1 -> P 0, R 0. So every macro score is 0.
    const predictions = tensor([
      [0, 1, 0, 0, 0],
      [1, 0, 0, 0, 0],
    ]);
    expect(precision(predictions, tensor([0, 1]))).toBe(0);
    expect(new MacroScoreMetric('f1').result()).toBeNaN();
  });
  it('matches a naive per-class reference on random data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (pairs) => {
          const predictions = tensor(pairs.map(([, predicted]) => [0, 1, 2, 3].map((c) => (c === predicted ? 1 : 0))));
          const targets = tensor(pairs.map(([target]) => target));
          const reference = naiveMacro(pairs, 4);
          expect(precision(predictions, targets)).toBeCloseTo(reference.precision, 12);
          expect(recall(predictions, targets)).toBeCloseTo(reference.recall, 12);
          expect(f1Score(predictions, targets)).toBeCloseTo(reference.f1, 12);
          const matrix = confusionMatrix(predictions, targets);
          let total = 0;
          for (let index = 0; index < matrix.size; index++) total += matrix.data[index];
          expect(total).toBe(pairs.length);
        },
      ),
      { numRuns: 60 },
    );
  });
  it('resumes a running matrix from its JSON state', () => {
    const matrix = new ConfusionMatrix(3);
    matrix.update(scores, indices);
    const copy = new ConfusionMatrix(3);
    copy.setState(JSON.parse(JSON.stringify(matrix.state())));
    expect(copy.toArray()).toEqual(matrix.toArray());
    expect(() => new ConfusionMatrix(4).setState(matrix.state())).toThrow(/ConfusionMatrix: expected \{ classes: 4/);
  });
});

describe('regression metrics', () => {
  it('computes MSE and MAE (hand-derived)', () => {
    // Differences: 0, -2, 1, 3 -> squares 0, 4, 1, 9 (mean 3.5); absolutes 0, 2, 1, 3 (mean 1.5).
    const predictions = tensor([
      [1, 2],
      [3, 4],
    ]);
    const targets = tensor([
      [1, 4],
      [2, 1],
    ]);
    expect(meanSquaredError(predictions, targets)).toBe(3.5);
    expect(meanAbsoluteError(predictions, targets)).toBe(1.5);
  });
  it('reads strided views the same as contiguous copies (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (a, b) => {
          const predictions = tensor(a, { shape: [2, 3] }).transpose();
          const targets = tensor(b, { shape: [3, 2] });
          expect(meanSquaredError(predictions, targets)).toBeCloseTo(meanSquaredError(predictions.clone(), targets), 6);
        },
      ),
      { numRuns: 40 },
    );
  });
  it('rejects different shapes', () => {
    expect(() => meanSquaredError(tensor([1, 2]), tensor([1]))).toThrow(
      /meanSquaredError: predictions \[2\] and targets \[1\] must have the same shape/,
    );
  });
});

describe('metricFromName and RunningMean', () => {
  it('builds metrics by name, including top<k>Accuracy', () => {
    expect(metricFromName('accuracy').name).toBe('accuracy');
    expect(metricFromName('top3Accuracy').name).toBe('top3Accuracy');
    expect(metricFromName('mae').name).toBe('mae');
    expect(() => metricFromName('auc')).toThrow(/metricFromName: unknown metric "auc"; expected one of accuracy/);
  });
  it('weights each batch mean by its size (hand-derived)', () => {
    const mean = new RunningMean();
    mean.add(0.5, 32);
    mean.add(0.25, 16);
    expect(mean.result()).toBeCloseTo((0.5 * 32 + 0.25 * 16) / 48, 15);
  });
});

/** Per-class precision, recall and F1 from (target, predicted) pairs, averaged over classes present. */
function naiveMacro(pairs: readonly (readonly [number, number])[], classes: number) {
  const sums = { precision: 0, recall: 0, f1: 0 };
  let present = 0;
  for (let c = 0; c < classes; c++) {
    const truePositive = pairs.filter(([t, p]) => t === c && p === c).length;
    const predicted = pairs.filter(([, p]) => p === c).length;
    const actual = pairs.filter(([t]) => t === c).length;
    if (predicted === 0 && actual === 0) continue;
    present++;
    const p = predicted ? truePositive / predicted : 0;
    const r = actual ? truePositive / actual : 0;
    sums.precision += p;
    sums.recall += r;
    sums.f1 += p + r ? (2 * p * r) / (p + r) : 0;
  }
  return { precision: sums.precision / present, recall: sums.recall / present, f1: sums.f1 / present };
}
