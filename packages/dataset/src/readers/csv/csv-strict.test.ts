import { AnnetError } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.js';
import { parseNumber } from './csv-values.js';
import { csvDataset, streamCsv } from './stream-csv.js';

/** The AnnetError `run` throws (fails the test otherwise). */
function refusal(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected an AnnetError, nothing was thrown');
}

describe('the CSV number parser reads decimal syntax only', () => {
  it('refuses JavaScript-only number syntax: hex, binary and octal prefixes, underscores, tabs and non-breaking spaces', () => {
    for (const text of [
      '0x10',
      '0X1f',
      '0b101',
      '0o17',
      '-0x10',
      '1_000',
      '\t7',
      '7\t',
      '1\u00a02',
      '\u00a07',
      '7\u00a0',
      '\u20037',
      'Infinityx',
      '1e',
      'e5',
      '1e+',
      '+-1',
      '0x',
    ]) {
      expect(parseNumber(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('reads what NumPy and pandas read as decimals, with the same bits as Number', () => {
    // '5.' and '.5' are decimals in Python, NumPy and pandas (float('5.') == 5.0), so they stay accepted.
    const cases: Array<[string, number]> = [
      ['5.', 5],
      ['.5', 0.5],
      ['-.5', -0.5],
      ['+3', 3],
      ['1e3', 1000],
      ['1E-3', 0.001],
      ['2.5e+2', 250],
      [' 7 ', 7],
      ['0', 0],
      ['-0', -0],
      ['007', 7],
      ['1e400', Infinity],
      ['-1e400', -Infinity],
    ];
    for (const [text, value] of cases) expect(Object.is(parseNumber(text), value), text).toBe(true);
    expect(parseNumber('12345678901234567890.5')).toBe(Number('12345678901234567890.5'));
  });

  it('readCsv names the field a JavaScript-only number was found in', () => {
    expect(refusal(() => readCsv('a,b\n1,0x10\n', { source: 'x.csv' })).message).toBe(
      'readCsv: x.csv line 2, column 2 ("b"): expected a number, got "0x10"',
    );
  });
});

describe('non-finite values in the CSV reader are errors by default, with an option', () => {
  it('refuses inf, 1e400 and (for float32) 1e39, naming the line, column and the option', () => {
    expect(refusal(() => readCsv('a\ninf\n', { source: 'f.csv' })).message).toBe(
      `readCsv: f.csv line 2, column 1 ("a"): "inf" is Infinity; set infinity: 'drop' to skip such rows or infinity: 'keep' to keep them`,
    );
    expect(refusal(() => readCsv('a\n-1e400\n')).message).toContain('"-1e400" is -Infinity (beyond the float64 range)');
    expect(refusal(() => readCsv('a\n1\n1e39\n')).message).toBe(
      `readCsv: input line 3, column 1 ("a"): 1e39 is beyond the float32 range (±3.4028235e38) and would be stored as Infinity; set infinity: 'drop' to skip such rows or infinity: 'keep' to keep them, or dtype: 'float64'`,
    );
    expect(refusal(() => readCsv('a,y\n1,1e39\n', { label: 'y', labelType: 'number' })).message).toContain(
      'column 2 ("y"): 1e39 is beyond the float32 range',
    );
  });

  it('reads 1e39 in float64, 3.4028235e38 in float32, and keeps or drops infinities when asked', () => {
    expect(readCsv('a\n1e39\n', { dtype: 'float64' }).inputs.toArray()).toEqual([[1e39]]);
    expect(readCsv('a\n3.4028235e38\n').inputs.toArray()).toEqual([[Math.fround(3.4028235e38)]]);
    expect(readCsv('a\ninf\n1e39\n-1e400\n', { infinity: 'keep' }).inputs.toArray()).toEqual([
      [Infinity],
      [Infinity],
      [-Infinity],
    ]);
    const dropped = readCsv('a\n1\ninf\n2\n', { infinity: 'drop' });
    expect([dropped.inputs.toArray(), dropped.droppedRows]).toEqual([[[1], [2]], 1]);
    expect(refusal(() => readCsv('a\n1\n', { infinity: 'allow' as never })).message).toBe(
      "readCsv: infinity must be 'error', 'drop' or 'keep', got \"allow\"",
    );
  });

  it('never keeps NaN or infinity in an integer column', () => {
    expect(refusal(() => readCsv('a,y\n1,inf\n', { label: 'y', infinity: 'keep' })).message).toContain(
      `"inf" is Infinity; set infinity: 'drop' to skip such rows`,
    );
    expect(refusal(() => readCsv('a,y\n1,nan\n', { label: 'y', nan: 'keep' })).message).toContain(
      'NaN in an integer column',
    );
  });
});

describe('integer labels beyond int32 are errors, not wrapped', () => {
  it('refuses 99999999999 (which wrapped to 1215752191) and accepts both ends of the int32 range', () => {
    const error = refusal(() => readCsv('a,y\n1,99999999999\n', { label: 'y' }));
    expect([error.code, error.message]).toEqual([
      'INDEX_OUT_OF_RANGE',
      'readCsv: input line 2, column 2 ("y"): label 99999999999 is outside the int32 range [-2^31, 2^31) of integer labels; for regression targets set labelType: \'number\'',
    ]);
    expect(refusal(() => readCsv('a,y\n1,-2147483649\n', { label: 'y' })).message).toContain(
      'label -2147483649 is outside the int32 range',
    );
    expect(readCsv('a,y\n1,2147483647\n2,-2147483648\n', { label: 'y' }).targets!.toArray()).toEqual([
      2147483647, -2147483648,
    ]);
  });
});

describe('fields are bounded in length, so an unclosed quote cannot swallow a stream', () => {
  /** A stream of 64 KiB chunks: a header, a row opening a quote that never closes, then `chunks` chunks of rows. */
  function unclosedQuoteStream(chunks: number, pulled: { count: number }): AsyncGenerator<string> {
    const filler = '1,2\n'.repeat(1 << 14);
    return (async function* () {
      yield 'a,b\n"1,2\n';
      for (let index = 0; index < chunks; index++) {
        pulled.count++;
        yield filler;
      }
    })();
  }

  it('stops a stream with an unclosed quote at line 2 after maxFieldLength characters, naming the line', async () => {
    const pulled = { count: 0 };
    // 3,200 chunks of 64 KiB = 200 MiB of rows after the unclosed quote.
    const reading = (async () => {
      for await (const chunk of streamCsv(unclosedQuoteStream(3200, pulled), { source: 'big.csv' })) void chunk;
    })();
    await expect(reading).rejects.toThrow(
      'readCsv: big.csv line 2, column 1: a quoted field starting here is longer than maxFieldLength (1048576 characters); a quote that is never closed reads the rest of the file into one field; close it, or raise maxFieldLength for longer fields',
    );
    // The field holds '1,2\n' (4 characters) and then whole 64 KiB chunks: 4 + 16 · 65536 > 2^20,
    // so the reader stops at the 16th chunk of 3,200 instead of reading to the end of the file.
    expect(pulled.count).toBe(16);
  });

  it('applies a smaller maxFieldLength to unquoted fields too, and reads fields up to the bound', async () => {
    expect(refusal(() => readCsv('a\n12345\n', { maxFieldLength: 4 })).message).toBe(
      'readCsv: input line 2, column 1: a field starting here is longer than maxFieldLength (4 characters); raise maxFieldLength for longer fields',
    );
    expect(readCsv('a\n1234\n"5678"\n', { maxFieldLength: 4 }).inputs.toArray()).toEqual([[1234], [5678]]);
    expect(refusal(() => readCsv('a\n1\n', { maxFieldLength: 0 })).message).toBe(
      'readCsv: maxFieldLength must be a positive integer, got 0',
    );
  });
});

describe('unknown reader options are refused', () => {
  it('streamCsv refuses chunkSize and suggests chunkRows; readCsv and csvDataset refuse misspellings', async () => {
    const reading = (async () => {
      for await (const chunk of streamCsv('a\n1\n', { chunkSize: 10 } as never)) void chunk;
    })();
    await expect(reading).rejects.toThrow(
      /^streamCsv: unknown option "chunkSize" \(did you mean "chunkRows"\?\); the options are source, delimiter, header, /,
    );
    expect(refusal(() => readCsv('a\n1\n', { lable: 'a' } as never)).message).toMatch(
      /^readCsv: unknown option "lable" \(did you mean "label"\?\)/,
    );
    expect(refusal(() => readCsv('a\n1\n', { chunkRows: 10 } as never)).message).toMatch(
      /^readCsv: unknown option "chunkRows"/,
    );
    expect(refusal(() => csvDataset(() => 'a\n1\n', { label: 'a', shuffle: true } as never)).message).toMatch(
      /^csvDataset: unknown option "shuffle"/,
    );
    expect(refusal(() => readCsv('a\n1\n', 'a' as never)).message).toBe(
      'readCsv: options must be an object, got string',
    );
  });
});
