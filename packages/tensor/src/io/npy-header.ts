import { ioError, type IoContext } from './io-context.js';

/** The three fields of an NPY header dictionary. */
export interface NpyHeader {
  /** NumPy type string such as `<f4` (byte order `<`, `>`, `|` or `=`, kind, item size). */
  readonly descr: string;
  /** True when the data is stored column-major (Fortran order). */
  readonly fortranOrder: boolean;
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
}

/** NumPy allows 64 dimensions; a longer shape in a header is a corrupt file. */
export const maximumRank = 64;

type PyValue = string | boolean | number | readonly number[];

/**
 * Parses the header of an NPY file: a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. Only the literal forms NumPy
 * writes are accepted (quoted strings without escapes, `True`/`False`, integers, tuples of
 * integers); nothing is evaluated.
 *
 * @example
 * parseNpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", context).shape; // [3]
 */
export function parseNpyHeader(text: string, context: IoContext): NpyHeader {
  let position = 0;
  const fail = (detail: string) =>
    ioError(
      context,
      'PARSE_ERROR',
      `invalid NPY header at character ${position}: ${detail}; header ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`,
    );
  const skipSpace = () => {
    while (
      position < text.length &&
      (text[position] === ' ' || text[position] === '\t' || text[position] === '\n' || text[position] === '\r')
    )
      position++;
  };
  const expect = (character: string) => {
    skipSpace();
    if (text[position] !== character)
      throw fail(`expected '${character}', found ${text[position] === undefined ? 'the end' : `'${text[position]}'`}`);
    position++;
  };
  const readString = (): string => {
    skipSpace();
    const quote = text[position];
    if (quote !== "'" && quote !== '"') throw fail('expected a quoted string');
    const end = text.indexOf(quote, position + 1);
    if (end === -1) throw fail('unterminated string');
    const value = text.slice(position + 1, end);
    if (value.includes('\\')) throw fail('escape sequences are not supported in header strings');
    position = end + 1;
    return value;
  };
  const readInteger = (): number => {
    skipSpace();
    const start = position;
    while (position < text.length && text[position] >= '0' && text[position] <= '9') position++;
    const digits = text.slice(start, position);
    if (digits === '') throw fail('expected a non-negative integer');
    if (text[position] === 'L') position++;
    const value = Number(digits);
    if (digits.length > 16 || !Number.isSafeInteger(value))
      throw fail(`integer ${digits.length > 40 ? `${digits.slice(0, 40)}…` : digits} is too large`);
    return value;
  };
  const readTuple = (): number[] => {
    expect('(');
    const items: number[] = [];
    let trailingComma = false;
    for (;;) {
      skipSpace();
      if (text[position] === ')') break;
      if (items.length === maximumRank) throw fail(`a shape has more than ${maximumRank} dimensions`);
      items.push(readInteger());
      skipSpace();
      trailingComma = text[position] === ',';
      if (trailingComma) position++;
      else if (text[position] !== ')') throw fail("expected ',' or ')' in a tuple");
    }
    position++;
    // In Python `(5)` is the integer 5, not a tuple; NumPy always writes `(5,)`.
    if (items.length === 1 && !trailingComma) throw fail('a one-element shape must be written (n,)');
    return items;
  };
  const readValue = (): PyValue => {
    skipSpace();
    const character = text[position];
    if (character === "'" || character === '"') return readString();
    if (character === '(') return readTuple();
    if (text.startsWith('True', position)) {
      position += 4;
      return true;
    }
    if (text.startsWith('False', position)) {
      position += 5;
      return false;
    }
    if (character === '[') {
      throw ioError(context, 'UNSUPPORTED', 'structured (record) arrays are not supported; save plain numeric arrays');
    }
    return readInteger();
  };

  const entries = new Map<string, PyValue>();
  expect('{');
  for (;;) {
    skipSpace();
    if (text[position] === '}') break;
    const key = readString();
    if (entries.has(key)) throw fail(`duplicate key '${key}'`);
    expect(':');
    entries.set(key, readValue());
    skipSpace();
    if (text[position] === ',') position++;
    else if (text[position] !== '}') throw fail("expected ',' or '}' after a value");
  }
  position++;
  skipSpace();
  if (position !== text.length) throw fail('unexpected text after the dictionary');
  return checkFields(entries, context);
}

function checkFields(entries: Map<string, PyValue>, context: IoContext): NpyHeader {
  const keys = [...entries.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throw ioError(
      context,
      'PARSE_ERROR',
      `an NPY header has exactly the keys 'descr', 'fortran_order' and 'shape', got ${keys.map((key) => `'${key}'`).join(', ') || 'none'}`,
    );
  }
  const descr = entries.get('descr');
  const fortranOrder = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (typeof descr !== 'string')
    throw ioError(context, 'PARSE_ERROR', `'descr' must be a string, got ${String(descr)}`);
  if (typeof fortranOrder !== 'boolean')
    throw ioError(context, 'PARSE_ERROR', `'fortran_order' must be True or False, got ${String(fortranOrder)}`);
  if (!Array.isArray(shape))
    throw ioError(context, 'PARSE_ERROR', `'shape' must be a tuple of integers, got ${String(shape)}`);
  return { descr, fortranOrder, shape: shape as number[] };
}

/**
 * The header dictionary as NumPy writes it (keys sorted, `repr` of each value, a trailing
 * `, ` before `}`), without the padding.
 *
 * @example
 * formatNpyHeader({ descr: '<f4', fortranOrder: false, shape: [2, 3] });
 * // "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
 */
export function formatNpyHeader(header: NpyHeader): string {
  const shape = header.shape.length === 1 ? `(${header.shape[0]},)` : `(${header.shape.join(', ')})`;
  return `{'descr': '${header.descr}', 'fortran_order': ${header.fortranOrder ? 'True' : 'False'}, 'shape': ${shape}, }`;
}
