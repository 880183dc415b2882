import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer } from './csv-tokenizer.js';

/** Tokenizes `chunks` and returns the records with their start lines. */
function tokenize(chunks: string[], delimiter = ','): [number, string[]][] {
  const records: [number, string[]][] = [];
  const tokenizer = new CsvTokenizer({ delimiter, source: 'test.csv' }, (fields, line) =>
    records.push([line, fields.slice()]),
  );
  for (const chunk of chunks) tokenizer.push(chunk);
  tokenizer.finish();
  return records;
}

/** RFC 4180 writer: a field holding the delimiter, a quote or a line break is quoted, inner quotes doubled. */
function writeCsv(records: string[][], lineBreak: string): string {
  const field = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return records.map((record) => record.map(field).join(',')).join(lineBreak);
}

/** Splits `text` at the given cut points (any positions, even inside a CRLF or a quoted field). */
function cut(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((point) => point % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(text.slice(start, point));
    start = point;
  }
  chunks.push(text.slice(start));
  return chunks;
}

describe('CsvTokenizer', () => {
  it('reads RFC 4180 quoting: delimiters, line breaks and doubled quotes inside quotes (hand-derived)', () => {
    const text = 'name,quote\r\n"Smith, J","He said ""hi""\r\nand left"\r\nplain,""\r\n';
    expect(tokenize([text])).toEqual([
      [1, ['name', 'quote']],
      [2, ['Smith, J', 'He said "hi"\r\nand left']],
      [4, ['plain', '']],
    ]);
  });

  it('accepts LF, CRLF and CR line breaks, skips blank lines, and reads a last line without a break', () => {
    expect(tokenize(['a,b\n\n1,2\r\n\r\n3,4\r5,6'])).toEqual([
      [1, ['a', 'b']],
      [3, ['1', '2']],
      [5, ['3', '4']],
      [6, ['5', '6']],
    ]);
    expect(tokenize(['x,\n,y\n""\n'])).toEqual([
      [1, ['x', '']],
      [2, ['', 'y']],
      [3, ['']],
    ]);
    expect(tokenize(['a;"b;c"'], ';')).toEqual([[1, ['a', 'b;c']]]);
    expect(tokenize([''])).toEqual([]);
  });

  it('gives the same records and lines however the text is cut into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é'), maxLength: 6 });
    const record = fc.array(field, { minLength: 2, maxLength: 4 });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(400), { maxLength: 6 }),
        (records, lineBreak, cuts) => {
          const text = writeCsv(records, lineBreak);
          const expectedLines: number[] = [];
          let line = 1;
          for (const written of records) {
            expectedLines.push(line);
            line += (writeCsv([written], lineBreak).match(/\r\n|\r|\n/g) ?? []).length + 1;
          }
          const whole = tokenize([text]);
          expect(whole).toEqual(records.map((fields, index) => [expectedLines[index], fields]));
          expect(tokenize(cut(text, cuts))).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the source, line and column of malformed quoting', () => {
    expect(() => tokenize(['a,b\n1,x"y\n'])).toThrow(
      /readCsv: test.csv line 2, column 2: a quote inside an unquoted field/,
    );
    expect(() => tokenize(['a,b\n"1"x,2\n'])).toThrow(
      /test.csv line 2, column 1: unexpected "x" after a closing quote/,
    );
    expect(() => tokenize(['a,b\n1,"open\n\nstill open'])).toThrow(
      /test.csv line 2, column 2: a quoted field is never closed/,
    );
    expect(() => new CsvTokenizer({ delimiter: '""', source: 'x' }, () => undefined)).toThrow(
      /delimiter must be one character/,
    );
    expect(() => new CsvTokenizer({ delimiter: '\n', source: 'x' }, () => undefined)).toThrow(
      /delimiter must be one character/,
    );
  });
});
