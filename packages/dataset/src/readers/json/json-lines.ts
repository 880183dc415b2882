import {
  byteStream,
  isBlob,
  isBrowserByteSource,
  isResponse,
  readByteSource,
  sourceNameOf,
  type BrowserByteSource,
  type ByteSource,
} from '../../byte-source.js';
import type { ByteInput } from '../../bytes.js';
import type { StreamSource } from '../../datasets/stream-values.js';
import { sourceError } from '../../errors.js';
import type { JsonValue } from '../../json.js';
import { decodeUtf8, textChunks, type TextChunk } from '../text/text-chunks.js';
import { checkOptionNames } from '../check-options.js';

/**
 * Options of the JSON lines readers.
 *
 * @example
 * parseJsonLines(text, { source: 'rows.jsonl' });
 */
export interface JsonLinesOptions {
  /** Name used in error messages (the file name for the file forms). Default `'input'`. */
  readonly source?: string;
  /**
   * Longest line, in characters (default 16,777,216). A longer line is an error naming it, so
   * input without line breaks cannot make a streaming read buffer the whole file.
   */
  readonly maxLineLength?: number;
}

/** Every option name of {@link JsonLinesOptions}. */
export const jsonLinesOptionNames: readonly string[] = ['source', 'maxLineLength'];

/** The default {@link JsonLinesOptions.maxLineLength}: 16 Mi characters. */
const defaultMaxLineLength = 1 << 24;

function parseLine(text: string, line: number, source: string, operation: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw sourceError(
      'PARSE_ERROR',
      operation,
      source,
      { line },
      `malformed JSON (${(error as Error).message}): ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text)}`,
      error,
    );
  }
}

/**
 * Splits text into lines (LF or CRLF) across chunk boundaries, calling `onLine` for each
 * non-blank one with its 1-based line number. Holds at most one partial line, of at most
 * `maxLineLength` characters.
 */
class LineSplitter {
  private carry = '';
  private line = 0;
  private readonly maxLineLength: number;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    options: JsonLinesOptions,
    private readonly source: string,
    private readonly operation: string,
  ) {
    const maxLineLength = options.maxLineLength ?? defaultMaxLineLength;
    if (!Number.isSafeInteger(maxLineLength) || maxLineLength < 1) {
      throw sourceError(
        'INVALID_ARGUMENT',
        operation,
        source,
        {},
        `maxLineLength must be a positive integer, got ${String(maxLineLength)}`,
      );
    }
    this.maxLineLength = maxLineLength;
  }

  push(text: string): void {
    if (this.line === 0 && this.carry === '' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      this.emit(this.carry + text.slice(start, end));
      this.carry = '';
      start = end + 1;
    }
    this.carry += text.slice(start);
    if (this.carry.length > this.maxLineLength) this.tooLong(this.line + 1);
  }

  private tooLong(line: number): never {
    throw sourceError(
      'PARSE_ERROR',
      this.operation,
      this.source,
      { line },
      `the line is longer than maxLineLength (${this.maxLineLength} characters); raise maxLineLength for longer lines`,
    );
  }

  finish(): void {
    if (this.carry.length > 0) this.emit(this.carry);
    this.carry = '';
  }

  private emit(raw: string): void {
    if (raw.length > this.maxLineLength + 1) this.tooLong(this.line + 1);
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim().length > 0) this.onLine(text, this.line);
  }
}

/**
 * Parses JSON lines (one JSON value per line; blank lines skipped) from a string or UTF-8
 * bytes. A malformed line is an error naming the source and line.
 *
 * @example
 * parseJsonLines('{"x": [1, 2], "y": 0}\n{"x": [3, 4], "y": 1}\n'); // two objects
 */
export function parseJsonLines(input: string | ByteInput, options?: JsonLinesOptions): JsonValue[];
/** A `File`, `Blob`, `Response` or `ReadableStream` is read first, so the values come as a promise. */
export function parseJsonLines(input: BrowserByteSource, options?: JsonLinesOptions): Promise<JsonValue[]>;
export function parseJsonLines(
  input: string | ByteSource,
  options?: JsonLinesOptions,
): JsonValue[] | Promise<JsonValue[]>;
export function parseJsonLines(
  input: string | ByteSource,
  options: JsonLinesOptions = {},
): JsonValue[] | Promise<JsonValue[]> {
  checkOptionNames(options, jsonLinesOptionNames, 'parseJsonLines');
  if (isBrowserByteSource(input))
    return readByteSource(input, 'parseJsonLines').then((bytes) =>
      parseJsonLines(bytes, { ...options, source: sourceNameOf(input, options.source) }),
    );
  const source = options.source ?? 'input';
  const values: JsonValue[] = [];
  const splitter = new LineSplitter(
    (text, line) => values.push(parseLine(text, line, source, 'parseJsonLines')),
    options,
    source,
    'parseJsonLines',
  );
  splitter.push(typeof input === 'string' ? input : decodeUtf8(input, source, 'parseJsonLines'));
  splitter.finish();
  return values;
}

/**
 * Streams JSON lines from an async iterable of strings or bytes, a web `ReadableStream`, or a
 * `File`/`Blob`/`Response` (read in chunks),
 * one value at a time; memory is one chunk plus one line.
 *
 * @example
 * const samples = new IterableDataset(() => streamJsonLines(openStream()))
 *   .map((row) => row as { x: number[]; y: number })
 *   .map((row) => ({ input: tensor(row.x), target: row.y }));
 */
export async function* streamJsonLines(
  chunks: StreamSource<TextChunk> | Blob | Response,
  options: JsonLinesOptions = {},
): AsyncGenerator<JsonValue> {
  checkOptionNames(options, jsonLinesOptionNames, 'streamJsonLines');
  const source = options.source ?? 'input';
  const ready: JsonValue[] = [];
  const splitter = new LineSplitter(
    (text, line) => ready.push(parseLine(text, line, source, 'streamJsonLines')),
    options,
    source,
    'streamJsonLines',
  );
  const input =
    isBlob(chunks) || isResponse(chunks)
      ? byteStream(chunks, 'streamJsonLines')
      : typeof chunks === 'string' || ArrayBuffer.isView(chunks) || chunks instanceof ArrayBuffer
        ? [chunks as TextChunk]
        : chunks;
  for await (const text of textChunks(input, source, 'streamJsonLines')) {
    splitter.push(text);
    while (ready.length > 0) yield ready.shift()!;
  }
  splitter.finish();
  yield* ready;
}
