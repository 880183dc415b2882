/**
 * How a column's cells line up.
 *
 * @example
 * formatTable(['name', 'count'], rows, { align: ['left', 'right'] satisfies ColumnAlignment[] });
 */
export type ColumnAlignment = 'left' | 'right';

/**
 * Renders rows of text as a plain-text table: a header, a rule under it, columns padded to
 * their widest cell. Used by `Sequential.summary()` and the confusion-matrix printout.
 *
 * @example
 * formatTable(['layer', 'params'], [['dense_1', '100,480']], { align: ['left', 'right'] });
 * // layer     params
 * // ───────  ───────
 * // dense_1  100,480
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { align?: readonly ColumnAlignment[]; gap?: number } = {},
): string {
  const gap = ' '.repeat(options.gap ?? 2);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        options.align?.[column] === 'right' ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join(gap)
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join(gap);
  return [line(header), rule, ...rows.map((row) => line(row.map((cell) => cell ?? '')))].join('\n');
}

/**
 * An integer with thousands separators: `100480` → `100,480`.
 *
 * @example
 * formatCount(100480); // '100,480'
 */
export function formatCount(value: number): string {
  return Math.round(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
