/**
 * How a feature column's text becomes a number.
 *
 * @example
 * readCsv(text, { types: { rooms: 'integer', city: 'category' } });
 */
export type CsvColumnType = 'number' | 'integer' | 'category';

/**
 * How a label column's text becomes a target.
 *
 * @example
 * readCsv(text, { label: 'price', labelType: 'number' });
 */
export type CsvLabelType = 'integer' | 'number' | 'string';

/**
 * Options of the CSV readers. Columns are named by header name or 0-based position.
 *
 * @example
 * const options: CsvOptions = { label: 'species', labelType: 'string', columns: ['sepal_length', 'petal_length'], missing: 'drop' };
 */
export interface CsvOptions {
  /** Name used in error messages (the file name for the file forms). Default `'input'`. */
  readonly source?: string;
  /** Field delimiter, one character (default `','`). */
  readonly delimiter?: string;
  /** `true` (default): the first record names the columns; `false`: no header, columns are named `'0'`, `'1'`...; an array: the names, for a file without a header. */
  readonly header?: boolean | readonly string[];
  /** The feature columns, in the order of the input tensor (default: every column but the label). */
  readonly columns?: readonly (string | number)[];
  /** Per-column type of feature columns (default `'number'`); `'category'` maps names to codes. */
  readonly types?: Readonly<Record<string, CsvColumnType>>;
  /** For `'category'` columns, the category names in code order (required when streaming; else the sorted distinct values). */
  readonly categories?: Readonly<Record<string, readonly string[]>>;
  /** The label column, read into `targets`. */
  readonly label?: string | number;
  /** `'integer'` (default): class indices, int32 targets; `'number'`: regression targets; `'string'`: class names encoded as int32. */
  readonly labelType?: CsvLabelType;
  /** With `labelType: 'string'`, the class names in code order (required when streaming; else the sorted distinct names). */
  readonly classes?: readonly string[];
  /** With `labelType: 'integer'`, check every label is in `[0, numClasses)`. */
  readonly numClasses?: number;
  /** Field texts that mean "missing" (default `['']`). */
  readonly missingValues?: readonly string[];
  /** A missing value: `'error'` (default), `'drop'` the row, or a number to fill numeric feature columns with. */
  readonly missing?: 'error' | 'drop' | number;
  /** A NaN (`NaN`, `nan`) in a numeric column: `'error'` (default) or `'drop'` the row. */
  readonly nan?: 'error' | 'drop';
  /** dtype of `inputs` (and of `'number'` targets): `'float32'` (default) or `'float64'`. */
  readonly dtype?: 'float32' | 'float64';
}
