import { AnnetError } from '@annet/tensor';
import { sourceError } from '../../errors.js';
import type { CsvPlan } from './csv-columns.js';
import type { CsvOptions } from './csv-options.js';
import { parseNumber } from './csv-values.js';

/**
 * Turns one record's fields into numbers: the features into `features`, the label into
 * `label`, applying the missing-value and NaN policies. One decoder per read; no allocation per
 * row.
 */
export class CsvRowDecoder {
  /** The decoded features of the last accepted row. */
  readonly features: Float64Array;
  /** The decoded label of the last accepted row. */
  label = 0;
  /** Rows dropped by the `'drop'` policies so far. */
  droppedRows = 0;
  private readonly missingValues: ReadonlySet<string>;
  private readonly onlyEmptyIsMissing: boolean;
  private readonly missing: 'error' | 'drop' | number;
  private readonly nan: 'error' | 'drop' | 'keep';
  private readonly infinity: 'error' | 'drop' | 'keep';
  /** Whether decoded numbers are stored in float32, so finite float64 values beyond its range become Infinity. */
  private readonly float32: boolean;
  private readonly numClasses: number | undefined;

  constructor(
    private readonly plan: CsvPlan,
    options: CsvOptions,
    private readonly source: string,
  ) {
    this.features = new Float64Array(plan.featureColumns.length);
    const missingValues = options.missingValues ?? [''];
    this.missingValues = new Set(missingValues);
    this.onlyEmptyIsMissing = missingValues.length === 1 && missingValues[0] === '';
    this.missing = options.missing ?? 'error';
    this.nan = options.nan ?? 'error';
    this.infinity = options.infinity ?? 'error';
    this.float32 = (options.dtype ?? 'float32') === 'float32';
    this.numClasses = options.numClasses;
    if (options.dtype !== undefined && options.dtype !== 'float32' && options.dtype !== 'float64') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `dtype must be 'float32' or 'float64', got ${JSON.stringify(options.dtype)}`,
      );
    }
    if (this.numClasses !== undefined && (!Number.isSafeInteger(this.numClasses) || this.numClasses < 1)) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `numClasses must be a positive integer, got ${this.numClasses}`,
      );
    }
    if (
      typeof this.missing === 'number'
        ? !Number.isFinite(this.missing)
        : this.missing !== 'error' && this.missing !== 'drop'
    ) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `missing must be 'error', 'drop' or a finite fill number, got ${JSON.stringify(this.missing)}`,
      );
    }
    if (this.nan !== 'error' && this.nan !== 'drop' && this.nan !== 'keep')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `nan must be 'error', 'drop' or 'keep', got ${JSON.stringify(this.nan)}`,
      );
    if (this.infinity !== 'error' && this.infinity !== 'drop' && this.infinity !== 'keep')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `infinity must be 'error', 'drop' or 'keep', got ${JSON.stringify(this.infinity)}`,
      );
  }

  /** Decodes `fields` (from `line`); false when the row is dropped. */
  decode(fields: readonly string[], line: number): boolean {
    const plan = this.plan;
    if (fields.length !== plan.names.length) {
      throw sourceError(
        'PARSE_ERROR',
        'readCsv',
        this.source,
        { line },
        `the record has ${fields.length} fields, expected ${plan.names.length} (one per column: ${JSON.stringify(plan.names).slice(0, 120)})`,
      );
    }
    const columns = plan.featureColumns;
    for (let feature = 0; feature < columns.length; feature++) {
      const column = columns[feature];
      const text = fields[column];
      if (this.isMissing(text)) {
        if (this.missing === 'drop') return this.drop();
        const type = plan.featureTypes[feature];
        if (this.missing === 'error' || type === 'category')
          throw this.error(
            line,
            column,
            `missing value ${JSON.stringify(text)}${type === 'category' ? ' in a category column (a fill number applies to numeric columns only)' : ''}; set missing: 'drop' or a fill number`,
          );
        this.features[feature] = this.missing;
        continue;
      }
      const codes = plan.featureCodes[feature];
      if (codes) {
        const code = codes.code(text);
        if (code < 0)
          throw this.error(
            line,
            column,
            `${JSON.stringify(text)} is not one of the listed categories ${JSON.stringify(codes.fixed).slice(0, 120)}`,
          );
        this.features[feature] = code;
        continue;
      }
      const value = this.number(text, line, column, plan.featureTypes[feature] === 'integer', true);
      if (value === undefined) return this.drop();
      this.features[feature] = value;
    }
    return plan.labelColumn === -1 || this.decodeLabel(fields[plan.labelColumn], line);
  }

  private decodeLabel(text: string, line: number): boolean {
    const plan = this.plan;
    const column = plan.labelColumn;
    if (this.isMissing(text)) {
      if (this.missing === 'drop') return this.drop();
      throw this.error(line, column, `missing label ${JSON.stringify(text)}; set missing: 'drop' to skip such rows`);
    }
    if (plan.labelCodes) {
      const code = plan.labelCodes.code(text);
      if (code < 0)
        throw this.error(
          line,
          column,
          `label ${JSON.stringify(text)} is not one of the classes ${JSON.stringify(plan.labelCodes.fixed).slice(0, 120)}`,
        );
      this.label = code;
      return true;
    }
    const integer = plan.labelType === 'integer';
    const value = this.number(text, line, column, integer, !integer);
    if (value === undefined) return this.drop();
    if (integer && (value < -2147483648 || value > 2147483647)) {
      throw sourceError(
        'INDEX_OUT_OF_RANGE',
        'readCsv',
        this.source,
        { line, column: column + 1, columnName: plan.names[column] },
        `label ${text.trim()} is outside the int32 range [-2^31, 2^31) of integer labels; for regression targets set labelType: 'number'`,
      );
    }
    if (this.numClasses !== undefined && plan.labelType === 'integer' && (value < 0 || value >= this.numClasses)) {
      throw sourceError(
        'INDEX_OUT_OF_RANGE',
        'readCsv',
        this.source,
        { line, column: column + 1, columnName: plan.names[column] },
        `label ${value} is outside the class range [0, ${this.numClasses})`,
      );
    }
    this.label = value;
    return true;
  }

  /**
   * The field's number, `undefined` for a NaN or infinity the policy drops, or an error.
   * `inDType` says the value is stored in the read's dtype (features, `'number'` labels), where
   * float32 turns a finite value beyond ±3.4028235e38 into ±Infinity.
   */
  private number(text: string, line: number, column: number, integer: boolean, inDType: boolean): number | undefined {
    const value = parseNumber(text);
    if (value === undefined)
      throw this.error(
        line,
        column,
        `expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}${this.plan.labelColumn === column && this.plan.labelType === 'integer' ? "; for class names set labelType: 'string'" : ''}`,
      );
    if (value !== value) {
      if (this.nan === 'drop') return undefined;
      if (this.nan === 'error' || integer)
        throw this.error(
          line,
          column,
          `NaN in a${integer ? 'n integer' : ' numeric'} column; set nan: 'drop' to skip such rows${integer ? '' : " or nan: 'keep' to keep them"}`,
        );
      return value;
    }
    const overflows = inDType && this.float32 && Number.isFinite(value) && !Number.isFinite(Math.fround(value));
    if (!Number.isFinite(value) || overflows) {
      if (this.infinity === 'drop') return undefined;
      if (this.infinity === 'error' || integer) {
        const what = overflows
          ? `${text.trim()} is beyond the float32 range (±3.4028235e38) and would be stored as ${value > 0 ? '' : '-'}Infinity`
          : `${JSON.stringify(text)} is ${value > 0 ? '' : '-'}Infinity${/inf/i.test(text) ? '' : ' (beyond the float64 range)'}`;
        throw this.error(
          line,
          column,
          `${what}; set infinity: 'drop' to skip such rows${integer ? '' : ` or infinity: 'keep' to keep them${overflows ? ", or dtype: 'float64'" : ''}`}`,
        );
      }
      return value;
    }
    if (integer && !Number.isInteger(value))
      throw this.error(line, column, `expected an integer, got ${JSON.stringify(text)}`);
    return value;
  }

  private isMissing(text: string): boolean {
    return this.onlyEmptyIsMissing ? text.length === 0 : this.missingValues.has(text);
  }

  private drop(): false {
    this.droppedRows++;
    return false;
  }

  private error(line: number, column: number, detail: string): AnnetError {
    return sourceError(
      'PARSE_ERROR',
      'readCsv',
      this.source,
      { line, column: column + 1, columnName: this.plan.names[column] },
      detail,
    );
  }
}
