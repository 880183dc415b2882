import { AnnetError } from '@annet/tensor';
import { sourceError } from '../../errors.js';
import { defaultMaxFieldLength } from './csv-options.js';

const QUOTE = 0x22;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Receives each record: its fields (an array reused for the next record) and the line it started on.
 *
 * @example
 * const print: RecordSink = (fields, line) => console.log(line, fields.slice());
 */
export type RecordSink = (fields: string[], line: number) => void;

/**
 * An incremental RFC 4180 tokenizer: feed text in chunks of any size with `push`, then call
 * `finish`. Quoted fields may hold delimiters, line breaks and doubled quotes (`""`). Line
 * breaks are LF, CRLF or CR. Blank lines are skipped. Memory is one record, whatever the input
 * size, and a field longer than `maxFieldLength` characters (default 1 Mi) is an error naming the
 * line it starts on (an unclosed quote would otherwise swallow the rest of the input). Malformed input throws an error naming the source, line and column.
 *
 * @example
 * const tokenizer = new CsvTokenizer({ delimiter: ',', source: 'inline' }, (fields, line) => console.log(line, fields));
 * tokenizer.push('a,"b,\nc"\n1,2');
 * tokenizer.finish(); // logs 1 ['a', 'b,\nc'] then 3 ['1', '2']
 */
export class CsvTokenizer {
  private readonly delimiter: number;
  private readonly source: string;
  private readonly maxFieldLength: number;
  private state = State.FieldStart;
  private readonly fields: string[] = [];
  private field = '';
  private fieldQuoted = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private pendingCarriageReturn = false;
  private quotedCarriageReturn = false;

  constructor(
    options: { delimiter: string; source: string; maxFieldLength?: number },
    private readonly onRecord: RecordSink,
  ) {
    const { delimiter, maxFieldLength = defaultMaxFieldLength } = options;
    if (!Number.isSafeInteger(maxFieldLength) || maxFieldLength < 1) {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `maxFieldLength must be a positive integer, got ${String(maxFieldLength)}`,
      );
    }
    this.maxFieldLength = maxFieldLength;
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        'readCsv',
        `delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
      );
    }
    this.delimiter = delimiter.charCodeAt(0);
    this.source = options.source;
  }

  /** Tokenizes the next piece of text. */
  push(chunk: string): void {
    const length = chunk.length;
    let index = 0;
    if (length === 0) return;
    if (this.pendingCarriageReturn) {
      this.pendingCarriageReturn = false;
      if (chunk.charCodeAt(0) === LINE_FEED) index = 1;
    }
    if (this.quotedCarriageReturn) {
      // A CR ended the last chunk inside a quoted field: a line break unless this chunk's LF completes a CRLF.
      this.quotedCarriageReturn = false;
      if (chunk.charCodeAt(0) !== LINE_FEED) this.line++;
    }
    const delimiter = this.delimiter;
    while (index < length) {
      if (this.state === State.FieldStart) {
        if (this.fields.length === 0) this.recordLine = this.line;
        if (chunk.charCodeAt(index) === QUOTE) {
          this.state = State.Quoted;
          this.fieldQuoted = true;
          this.quoteLine = this.line;
          index++;
          continue;
        }
        this.state = State.Unquoted;
      }
      if (this.state === State.Unquoted) {
        let end = index;
        let code = 0;
        while (end < length) {
          code = chunk.charCodeAt(end);
          if (code === delimiter || code === LINE_FEED || code === CARRIAGE_RETURN || code === QUOTE) break;
          end++;
        }
        this.field = this.field === '' ? chunk.slice(index, end) : this.field + chunk.slice(index, end);
        if (this.field.length > this.maxFieldLength) throw this.tooLong(this.line, 'a field');
        if (end === length) return;
        if (code === QUOTE) {
          throw this.error(
            this.line,
            `a quote inside an unquoted field; quote the whole field and double inner quotes ("")`,
          );
        }
        index = this.endField(chunk, end, code);
        continue;
      }
      if (this.state === State.Quoted) {
        const close = chunk.indexOf('"', index);
        const end = close === -1 ? length : close;
        this.countLineBreaks(chunk, index, end);
        this.field += chunk.slice(index, end);
        if (this.field.length > this.maxFieldLength) throw this.tooLong(this.quoteLine, 'a quoted field');
        if (close === -1) return;
        this.state = State.QuoteInQuoted;
        index = close + 1;
        continue;
      }
      // After a quote inside a quoted field: a second quote is an escaped quote, else the field ended.
      const code = chunk.charCodeAt(index);
      if (code === QUOTE) {
        this.field += '"';
        this.state = State.Quoted;
        index++;
      } else if (code === delimiter || code === LINE_FEED || code === CARRIAGE_RETURN) {
        index = this.endField(chunk, index, code);
      } else {
        throw this.error(
          this.line,
          `unexpected ${JSON.stringify(chunk[index])} after a closing quote; expected a delimiter or the end of the line`,
        );
      }
    }
  }

  /** Ends the input: flushes the last record, or throws if a quoted field is still open. */
  finish(): void {
    if (this.state === State.Quoted)
      throw this.error(this.quoteLine, 'a quoted field is never closed (the input ends inside it)');
    if (this.state !== State.FieldStart || this.fields.length > 0) {
      this.fields.push(this.field);
      this.emit();
    }
  }

  /** Ends the field at `index` (a delimiter or line break) and returns where to continue. */
  private endField(chunk: string, index: number, code: number): number {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
    if (code === this.delimiter) return index + 1;
    this.emit();
    this.line++;
    if (code === CARRIAGE_RETURN) {
      if (index + 1 === chunk.length) this.pendingCarriageReturn = true;
      else if (chunk.charCodeAt(index + 1) === LINE_FEED) return index + 2;
    }
    return index + 1;
  }

  private emit(): void {
    const fields = this.fields;
    const blank = fields.length === 1 && fields[0] === '' && !this.fieldQuoted;
    this.fieldQuoted = false;
    if (!blank) this.onRecord(fields, this.recordLine);
    fields.length = 0;
  }

  /** Counts line breaks inside a quoted field, so later records report their true line. */
  private countLineBreaks(chunk: string, start: number, end: number): void {
    for (let index = start; index < end; index++) {
      const code = chunk.charCodeAt(index);
      if (code === LINE_FEED) this.line++;
      else if (code === CARRIAGE_RETURN) {
        if (index + 1 === chunk.length) this.quotedCarriageReturn = true;
        else if (chunk.charCodeAt(index + 1) !== LINE_FEED) this.line++;
      }
    }
  }

  private tooLong(line: number, what: string): AnnetError {
    const hint =
      what === 'a quoted field'
        ? 'a quote that is never closed reads the rest of the file into one field; close it, or '
        : '';
    return this.error(
      line,
      `${what} starting here is longer than maxFieldLength (${this.maxFieldLength} characters); ${hint}raise maxFieldLength for longer fields`,
    );
  }

  private error(line: number, detail: string): AnnetError {
    return sourceError('PARSE_ERROR', 'readCsv', this.source, { line, column: this.fields.length + 1 }, detail);
  }
}
