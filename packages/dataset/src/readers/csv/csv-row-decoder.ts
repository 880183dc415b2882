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
  private readonly nan: 'error' | 'drop';
  private readonly numClasses: number | undefined;

  constructor(private readonly plan: CsvPlan, options: CsvOptions, private readonly source: string) {
    this.features = new Float64Array(plan.featureColumns.length);
    const missingValues = options.missingValues ?? [''];
    this.missingValues = new Set(missingValues);
    this.onlyEmptyIsMissing = missingValues.length === 1 && missingValues[0] === '';
    this.missing = options.missing ?? 'error';
    this.nan = options.nan ?? 'error';
    this.numClasses = options.numClasses;
    if (options.dtype !== undefined && options.dtype !== 'float32' && options.dtype !== 'float64') {
      throw new AnnetError('INVALID_ARGUMENT', 'readCsv', `dtype must be 'float32' or 'float64', got ${JSON.stringify(options.dtype)}`);
    }
    if (this.numClasses !== undefined && (!Number.isSafeInteger(this.numClasses) || this.numClasses < 1)) {
      throw new AnnetError('INVALID_ARGUMENT', 'readCsv', `numClasses must be a positive integer, got ${this.numClasses}`);
    }
    if (typeof this.missing === 'number' ? !Number.isFinite(this.missing) : this.missing !== 'error' && this.missing !== 'drop') {
      throw new AnnetError('INVALID_ARGUMENT', 'readCsv', `missing must be 'error', 'drop' or a finite fill number, got ${JSON.stringify(this.missing)}`);
    }
    if (this.nan !== 'error' && this.nan !== 'drop') throw new AnnetError('INVALID_ARGUMENT', 'readCsv', `nan must be 'error' or 'drop', got ${JSON.stringify(this.nan)}`);
  }

  /** Decodes `fields` (from `line`); false when the row is dropped. */
  decode(fields: readonly string[], line: number): boolean {
    const plan = this.plan;
    if (fields.length !== plan.names.length) {
      throw sourceError('PARSE_ERROR', 'readCsv', this.source, { line }, `the record has ${fields.length} fields, expected ${plan.names.length} (one per column: ${JSON.stringify(plan.names).slice(0, 120)})`);
    }
    const columns = plan.featureColumns;
    for (let feature = 0; feature < columns.length; feature++) {
      const column = columns[feature];
      const text = fields[column];
      if (this.isMissing(text)) {
        if (this.missing === 'drop') return this.drop();
        const type = plan.featureTypes[feature];
        if (this.missing === 'error' || type === 'category') throw this.error(line, column, `missing value ${JSON.stringify(text)}${type === 'category' ? ' in a category column (a fill number applies to numeric columns only)' : ''}; set missing: 'drop' or a fill number`);
        this.features[feature] = this.missing;
        continue;
      }
      const codes = plan.featureCodes[feature];
      if (codes) {
        const code = codes.code(text);
        if (code < 0) throw this.error(line, column, `${JSON.stringify(text)} is not one of the listed categories ${JSON.stringify(codes.fixed).slice(0, 120)}`);
        this.features[feature] = code;
        continue;
      }
      const value = this.number(text, line, column, plan.featureTypes[feature] === 'integer');
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
      if (code < 0) throw this.error(line, column, `label ${JSON.stringify(text)} is not one of the classes ${JSON.stringify(plan.labelCodes.fixed).slice(0, 120)}`);
      this.label = code;
      return true;
    }
    const value = this.number(text, line, column, plan.labelType === 'integer');
    if (value === undefined) return this.drop();
    if (this.numClasses !== undefined && plan.labelType === 'integer' && (value < 0 || value >= this.numClasses)) {
      throw sourceError('INDEX_OUT_OF_RANGE', 'readCsv', this.source, { line, column: column + 1, columnName: plan.names[column] }, `label ${value} is outside the class range [0, ${this.numClasses})`);
    }
    this.label = value;
    return true;
  }

  /** The field's number, `undefined` for a NaN the policy drops, or an error. */
  private number(text: string, line: number, column: number, integer: boolean): number | undefined {
    const value = parseNumber(text);
    if (value === undefined) throw this.error(line, column, `expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}${this.plan.labelColumn === column && this.plan.labelType === 'integer' ? "; for class names set labelType: 'string'" : ''}`);
    if (value !== value) {
      if (this.nan === 'drop') return undefined;
      throw this.error(line, column, `NaN in a numeric column; set nan: 'drop' to skip such rows`);
    }
    if (integer && !Number.isInteger(value)) throw this.error(line, column, `expected an integer, got ${JSON.stringify(text)}`);
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
    return sourceError('PARSE_ERROR', 'readCsv', this.source, { line, column: column + 1, columnName: this.plan.names[column] }, detail);
  }
}
