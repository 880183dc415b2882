import type { Tensor } from '@annet/tensor';
import { AnnetError, formatShape } from '@annet/tensor';
import { formatTable } from './table.js';

/**
 * Renders a confusion matrix (rows true class, columns predicted) as a table with row and column
 * totals and per-class recall; `labels` name the classes (default `0 … C−1`).
 *
 * @example
 * console.log(formatConfusionMatrix(confusionMatrix(predictions, targets)));
 * // true\pred   0    1  total  recall
 * // ...
 */
export function formatConfusionMatrix(matrix: Tensor, labels?: readonly string[]): string {
  if (matrix.rank !== 2 || matrix.shape[0] !== matrix.shape[1]) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      'formatConfusionMatrix',
      `expected a square matrix [classes,classes], got ${formatShape(matrix.shape)}`,
    );
  }
  const classes = matrix.shape[0];
  const names = labels ?? Array.from({ length: classes }, (_, index) => String(index));
  const rows: string[][] = [];
  const columnTotals = new Array<number>(classes).fill(0);
  for (let target = 0; target < classes; target++) {
    const cells: string[] = [names[target]];
    let total = 0;
    for (let predicted = 0; predicted < classes; predicted++) {
      const count = matrix.get(target, predicted);
      cells.push(String(count));
      total += count;
      columnTotals[predicted] += count;
    }
    cells.push(String(total), total === 0 ? '-' : `${((100 * matrix.get(target, target)) / total).toFixed(1)}%`);
    rows.push(cells);
  }
  const grand = columnTotals.reduce((sum, value) => sum + value, 0);
  rows.push(['total', ...columnTotals.map(String), String(grand), '']);
  const header = ['true\\pred', ...names, 'total', 'recall'];
  return formatTable(header, rows, { align: ['left', ...names.map(() => 'right' as const), 'right', 'right'] });
}
