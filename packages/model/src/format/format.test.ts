import { tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { formatConfusionMatrix } from './confusion-matrix.js';
import { formatCount, formatTable } from './table.js';

describe('formatTable', () => {
  it('pads columns to their widest cell, right-aligning where asked', () => {
    expect(formatTable(['layer', 'params'], [['dense_1', '100,480']], { align: ['left', 'right'] })).toBe(
      'layer     params\n───────  ───────\ndense_1  100,480',
    );
  });
  it('groups thousands', () => {
    expect([formatCount(0), formatCount(999), formatCount(1000), formatCount(235146)]).toEqual([
      '0',
      '999',
      '1,000',
      '235,146',
    ]);
  });
});

describe('formatConfusionMatrix', () => {
  it('adds row and column totals and per-class recall (hand-derived)', () => {
    // Class 0: 3 of 4 right (75.0%); class 1: 5 of 6 (83.3%).
    const text = formatConfusionMatrix(
      tensor(
        [
          [3, 1],
          [1, 5],
        ],
        { dtype: 'int32' },
      ),
    );
    expect(text.split('\n')).toEqual([
      'true\\pred  0  1  total  recall',
      '─────────  ─  ─  ─────  ──────',
      '0          3  1      4   75.0%',
      '1          1  5      6   83.3%',
      'total      4  6     10',
    ]);
  });
  it('rejects a matrix that is not square', () => {
    expect(() => formatConfusionMatrix(tensor([[1, 2, 3]]))).toThrow(
      /formatConfusionMatrix: expected a square matrix \[classes,classes\], got \[1,3\]/,
    );
  });
});
