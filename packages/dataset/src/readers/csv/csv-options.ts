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
  /** A NaN (`NaN`, `nan`) in a numeric column: `'error'` (default), `'drop'` the row, or `'keep'` it as NaN (not in integer columns). */
  readonly nan?: 'error' | 'drop' | 'keep';
  /**
   * An infinite value in a numeric column: `inf`/`Infinity` spellings, a decimal beyond the
   * float64 range (`1e400`), or one beyond the float32 range when `dtype` is `'float32'`
   * (`1e39`, which float32 stores as Infinity). `'error'` (default), `'drop'` the row, or
   * `'keep'` it as ±Infinity (not in integer columns).
   */
  readonly infinity?: 'error' | 'drop' | 'keep';
  /**
   * Longest field, in characters (default 1,048,576). A longer field is an error naming the
   * line where it starts, so an unclosed quote cannot make a streaming read buffer the rest of
   * the file.
   */
  readonly maxFieldLength?: number;
  /** dtype of `inputs` (and of `'number'` targets): `'float32'` (default) or `'float64'`. */
  readonly dtype?: 'float32' | 'float64';
}

/** Every option name of {@link CsvOptions}: a name not listed here is refused, not ignored. */
export const csvOptionNames: readonly string[] = [
  'source',
  'delimiter',
  'header',
  'columns',
  'types',
  'categories',
  'label',
  'labelType',
  'classes',
  'numClasses',
  'missingValues',
  'missing',
  'nan',
  'infinity',
  'maxFieldLength',
  'dtype',
];

/** The default {@link CsvOptions.maxFieldLength}: 1 Mi characters. */
export const defaultMaxFieldLength = 1 << 20;
