import type { JsonValue } from '../json.js';
import { checkOptionNames } from '../readers/check-options.js';
import {
  jsonLinesOptionNames,
  parseJsonLines,
  streamJsonLines,
  type JsonLinesOptions,
} from '../readers/json/json-lines.js';
import { fileChunks, fileSource, readFileBytes } from './files.js';

/**
 * Reads a whole JSON lines file (`.gz` decompressed); errors name the file and line.
 *
 * @example
 * const rows = await readJsonLinesFile('train.jsonl');
 */
export async function readJsonLinesFile(path: string, options: JsonLinesOptions = {}): Promise<JsonValue[]> {
  checkOptionNames(options, jsonLinesOptionNames, 'parseJsonLines');
  const source = fileSource(path, options);
  return parseJsonLines(await readFileBytes(path, 'parseJsonLines', source), { ...options, source });
}

/**
 * Streams a JSON lines file one value at a time with bounded memory.
 *
 * @example
 * for await (const row of streamJsonLinesFile('events.jsonl')) count++;
 */
export function streamJsonLinesFile(path: string, options: JsonLinesOptions = {}): AsyncGenerator<JsonValue> {
  checkOptionNames(options, jsonLinesOptionNames, 'streamJsonLines');
  return streamJsonLines(fileChunks(path, 'streamJsonLines'), { ...options, source: fileSource(path, options) });
}
