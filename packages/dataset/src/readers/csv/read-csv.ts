import type { Tensor } from '@annet/tensor';
import {
  isBrowserByteSource,
  readByteSource,
  sourceNameOf,
  type BrowserByteSource,
  type ByteSource,
} from '../../byte-source.js';
import type { ByteInput } from '../../bytes.js';
import { decodeUtf8 } from '../text/text-chunks.js';
import type { CsvPlan } from './csv-columns.js';
import { csvOptionNames, type CsvOptions } from './csv-options.js';
import { CsvRecordReader } from './csv-record-reader.js';
import { CsvRows } from './csv-rows.js';
import { checkOptionNames } from '../check-options.js';

/**
 * A CSV file read into tensors: `inputs[i]` holds row `i`'s features (in `columns` order),
 * `targets[i]` its label.
 *
 * @example
 * const { inputs, targets, classes } = readCsv(text, { label: 'species', labelType: 'string' });
 * const dataset = new TensorDataset(inputs, targets!);
 */
export interface CsvTable {
  /** Feature column names, in the order of the second axis of `inputs`. */
  readonly columns: readonly string[];
  /** Features, `[rows, columns.length]`. */
  readonly inputs: Tensor;
  /** Labels, `[rows]` (int32 for class labels); `undefined` without a label column. */
  readonly targets: Tensor | undefined;
  /** Class names of a string label, in code order. */
  readonly classes: readonly string[] | undefined;
  /** Category names of each category column, in code order. */
  readonly categories: Readonly<Record<string, readonly string[]>>;
  /** Rows skipped by the `'drop'` policies. */
  readonly droppedRows: number;
}

/** The feature names, category lists and class list of a finished read. */
export function describePlan(plan: CsvPlan): Pick<CsvTable, 'columns' | 'classes' | 'categories'> {
  const categories: Record<string, readonly string[]> = {};
  plan.featureColumns.forEach((column, feature) => {
    const codes = plan.featureCodes[feature];
    if (codes) categories[plan.names[column]] = codes.classes;
  });
  return {
    columns: plan.featureColumns.map((column) => plan.names[column]),
    classes: plan.labelCodes?.classes,
    categories,
  };
}

/** Renumbers first-seen codes to sorted-name codes, column by column, in place. */
function sortCodes(plan: CsvPlan, rows: CsvRows): void {
  const features = plan.featureColumns.length;
  plan.featureCodes.forEach((codes, feature) => {
    const remap = codes?.sortedRemap();
    if (!remap) return;
    for (let row = 0; row < rows.rows; row++)
      rows.inputs[row * features + feature] = remap[rows.inputs[row * features + feature]];
  });
  const labelRemap = plan.labelCodes?.sortedRemap();
  if (labelRemap && rows.targets)
    for (let row = 0; row < rows.rows; row++) rows.targets[row] = labelRemap[rows.targets[row]];
}

/**
 * Reads a whole CSV text (a string, or UTF-8 bytes) into tensors: RFC 4180 quoting (delimiters,
 * line breaks and doubled quotes inside quoted fields), a header, column selection, typed and
 * category columns, a label column, and missing-value and NaN policies. Errors name the source,
 * line and column. For files larger than memory use {@link streamCsv}. Given a `File`, `Blob`,
 * `Response` or `ReadableStream`, it reads it first and returns a promise.
 *
 * @example
 * const table = readCsv('x,y,label\n1,2,0\n3,4,1\n', { label: 'label', numClasses: 2 });
 * table.inputs.toArray(); // [[1, 2], [3, 4]]
 */
export function readCsv(input: string | ByteInput, options?: CsvOptions): CsvTable;
/** A `File`, `Blob`, `Response` or `ReadableStream` is read first, so the table comes as a promise. */
export function readCsv(input: BrowserByteSource, options?: CsvOptions): Promise<CsvTable>;
export function readCsv(input: string | ByteSource, options?: CsvOptions): CsvTable | Promise<CsvTable>;
export function readCsv(input: string | ByteSource, options: CsvOptions = {}): CsvTable | Promise<CsvTable> {
  checkOptionNames(options, csvOptionNames, 'readCsv');
  if (isBrowserByteSource(input))
    return readByteSource(input, 'readCsv').then((bytes) =>
      readCsv(bytes, { ...options, source: sourceNameOf(input, options.source) }),
    );
  const source = options.source ?? 'input';
  const text = typeof input === 'string' ? input : decodeUtf8(input, source, 'readCsv');
  const dtype = options.dtype ?? 'float32';
  let rows: CsvRows | undefined;
  const createRows = (plan: CsvPlan) =>
    new CsvRows(
      plan.featureColumns.length,
      dtype,
      plan.labelColumn === -1 ? undefined : plan.labelType === 'number' ? dtype : 'int32',
      1024,
    );
  const reader = new CsvRecordReader(options, false, (decoder) => (rows ??= createRows(reader.plan!)).add(decoder));
  reader.push(text);
  reader.finish();
  rows ??= createRows(reader.plan!);
  sortCodes(reader.plan!, rows!);
  return { ...describePlan(reader.plan!), ...rows!.toTensors(), droppedRows: reader.decoder!.droppedRows };
}
