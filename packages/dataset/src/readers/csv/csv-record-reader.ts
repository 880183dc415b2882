import { AnnetError } from '@annet/tensor';
import { sourceError } from '../../errors.js';
import { planColumns, type CsvPlan } from './csv-columns.js';
import type { CsvOptions } from './csv-options.js';
import { CsvRowDecoder } from './csv-row-decoder.js';
import { CsvTokenizer } from './csv-tokenizer.js';

/** Receives each decoded row; `decoder.features` and `decoder.label` hold its values. */
export type RowSink = (decoder: CsvRowDecoder, line: number) => void;

/**
 * Tokenizes text, takes the column names from the header (or the options), plans the columns
 * and decodes every following record into a sink. Shared by the whole-input and streaming CSV
 * readers, so both read a file the same way.
 */
export class CsvRecordReader {
  /** The column plan, known after the header (or the first record) is read. */
  plan: CsvPlan | undefined;
  /** The decoder, created with the plan. */
  decoder: CsvRowDecoder | undefined;
  private readonly tokenizer: CsvTokenizer;
  private readonly source: string;
  private started = false;

  constructor(
    private readonly options: CsvOptions,
    private readonly streaming: boolean,
    private readonly sink: RowSink,
  ) {
    this.source = options.source ?? 'input';
    this.tokenizer = new CsvTokenizer(
      { delimiter: options.delimiter ?? ',', source: this.source, maxFieldLength: options.maxFieldLength },
      (fields, line) => this.record(fields, line),
    );
    if (Array.isArray(options.header)) this.start(options.header as readonly string[]);
  }

  /** Reads the next piece of text. */
  push(text: string): void {
    // A byte-order mark survives in text that was decoded without stripping it.
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.tokenizer.push(text);
  }

  /** Ends the input; throws for an input with no header or records when columns are needed. */
  finish(): void {
    this.tokenizer.finish();
    if (!this.plan)
      throw sourceError(
        'PARSE_ERROR',
        'readCsv',
        this.source,
        {},
        this.options.header === false ? 'the input holds no records' : 'the input is empty; expected a header line',
      );
  }

  private record(fields: string[], line: number): void {
    if (!this.plan) {
      const header = this.options.header ?? true;
      if (header === true) {
        const names = fields.slice();
        const duplicate = names.find((name, position) => names.indexOf(name) !== position);
        if (duplicate !== undefined)
          throw sourceError(
            'PARSE_ERROR',
            'readCsv',
            this.source,
            { line },
            `the header names column ${JSON.stringify(duplicate)} twice`,
          );
        this.start(names);
        return;
      }
      if (header !== false)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'readCsv',
          `header must be true, false or an array of column names, got ${JSON.stringify(header)}`,
        );
      this.start(fields.map((_, position) => String(position)));
    }
    if (this.decoder!.decode(fields, line)) this.sink(this.decoder!, line);
  }

  private start(names: readonly string[]): void {
    this.plan = planColumns(names, this.options, this.streaming);
    this.decoder = new CsvRowDecoder(this.plan, this.options, this.source);
  }
}
