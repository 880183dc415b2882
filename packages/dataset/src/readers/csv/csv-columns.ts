import { AnnetError } from '@annet/tensor';
import type { CsvColumnType, CsvLabelType, CsvOptions } from './csv-options.js';
import { CategoryCodes } from './csv-values.js';

/** Which fields of a record become which features and which one is the label. */
export interface CsvPlan {
  /** Every column name of the file. */
  readonly names: readonly string[];
  /** Field positions of the features, in tensor order. */
  readonly featureColumns: readonly number[];
  /** Type of each feature. */
  readonly featureTypes: readonly CsvColumnType[];
  /** Codes of each category feature (`undefined` for numeric ones). */
  readonly featureCodes: readonly (CategoryCodes | undefined)[];
  /** Field position of the label, or -1. */
  readonly labelColumn: number;
  /** How the label text becomes a target. */
  readonly labelType: CsvLabelType;
  /** Codes of a string label. */
  readonly labelCodes: CategoryCodes | undefined;
}

function resolve(reference: string | number, names: readonly string[], what: string): number {
  const position = typeof reference === 'number' ? reference : names.indexOf(reference);
  if (
    typeof reference === 'number'
      ? !Number.isInteger(reference) || reference < 0 || reference >= names.length
      : position === -1
  ) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'readCsv',
      `${what} ${JSON.stringify(reference)} is not a column; the columns are ${JSON.stringify(names)}`,
    );
  }
  return position;
}

/**
 * Resolves the options against the column names. Streaming readers need every category list and
 * class list up front (`streaming`), since codes must not change between chunks.
 */
export function planColumns(names: readonly string[], options: CsvOptions, streaming: boolean): CsvPlan {
  const labelColumn = options.label === undefined ? -1 : resolve(options.label, names, 'label column');
  const featureColumns = options.columns
    ? options.columns.map((reference) => resolve(reference, names, 'feature column'))
    : names.map((_, position) => position).filter((position) => position !== labelColumn);
  if (featureColumns.includes(labelColumn)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'readCsv',
      `column ${JSON.stringify(names[labelColumn])} is both the label and a feature`,
    );
  }
  for (const name of Object.keys(options.types ?? {})) {
    const position = resolve(name, names, 'typed column');
    if (!featureColumns.includes(position))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `types names ${JSON.stringify(name)}, which is not a feature column`,
      );
  }
  const featureTypes = featureColumns.map((position) => {
    const type = options.types?.[names[position]] ?? 'number';
    if (type !== 'number' && type !== 'integer' && type !== 'category') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `column ${JSON.stringify(names[position])} has type ${JSON.stringify(type)}; expected 'number', 'integer' or 'category'`,
      );
    }
    return type;
  });
  const featureCodes = featureColumns.map((position, feature) => {
    if (featureTypes[feature] !== 'category') return undefined;
    const fixed = options.categories?.[names[position]];
    if (!fixed && streaming)
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'streamCsv',
        `category column ${JSON.stringify(names[position])} needs its categories listed (options.categories) when streaming, so codes stay the same in every chunk`,
      );
    return new CategoryCodes(fixed);
  });
  const labelType = options.labelType ?? 'integer';
  if (labelType !== 'integer' && labelType !== 'number' && labelType !== 'string') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'readCsv',
      `labelType must be 'integer', 'number' or 'string', got ${JSON.stringify(labelType)}`,
    );
  }
  if (labelType === 'string' && labelColumn !== -1 && !options.classes && streaming) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'streamCsv',
      'a string label column needs its class names listed (options.classes) when streaming, so codes stay the same in every chunk',
    );
  }
  const labelCodes = labelType === 'string' && labelColumn !== -1 ? new CategoryCodes(options.classes) : undefined;
  return { names, featureColumns, featureTypes, featureCodes, labelColumn, labelType, labelCodes };
}
