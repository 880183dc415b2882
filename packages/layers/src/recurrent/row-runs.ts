import type { RecurrentRun } from './recurrent-run.js';

/**
 * Walks the batch rows of one step at sequence position `t`, in row order: `maskedRow(row)` for
 * each row whose mask is 0 (padding: the layer keeps its state), and `unmaskedRows(first, end)`
 * once per maximal run of rows [first, end) whose mask is not 0, so that a cell kernel covers as
 * many rows as it can in one call (all of the batch without a mask).
 *
 * @example
 * forEachRowRun(run, t, (row) => keepState(row), (first, end) => lstmCellForward(run, step, first, end, 64));
 */
export function forEachRowRun(
  run: RecurrentRun,
  t: number,
  maskedRow: (row: number) => void,
  unmaskedRows: (first: number, end: number) => void,
): void {
  const { batch, time, mask } = run;
  for (let row = 0; row < batch;) {
    if (mask[row * time + t] === 0) {
      maskedRow(row);
      row++;
      continue;
    }
    let end = row + 1;
    while (end < batch && mask[end * time + t] !== 0) end++;
    unmaskedRows(row, end);
    row = end;
  }
}
