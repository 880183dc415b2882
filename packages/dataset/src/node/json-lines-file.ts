import type { JsonValue } from '../json.js';
import { checkOptionNames } from '../readers/check-options.js';
import { parseJsonLines, streamJsonLines, type JsonLinesOptions } from '../readers/json/json-lines.js';
import { fileChunks, fileSource, readFileBytes } from './files.js';

/**
 * Reads a whole JSON lines file (`.gz` decompressed); errors name the file and line.
 *
 * @example
 * const rows = await readJsonLinesFile('train.jsonl');
 */
export async function readJsonLinesFile(path: string, options: JsonLinesOptions = {}): Promise<JsonValue[]> {
  checkOptionNames(options, ['source'], 'parseJsonLines');
  const source = fileSource(path, options);
  return parseJsonLines(await readFileBytes(path, 'parseJsonLines', source), { source });
}

/**
 * Streams a JSON lines file one value at a time with bounded memory.
 *
 * @example
 * for await (const row of streamJsonLinesFile('events.jsonl')) count++;
 */
export function streamJsonLinesFile(path: string, options: JsonLinesOptions = {}): AsyncGenerator<JsonValue> {
  checkOptionNames(options, ['source'], 'streamJsonLines');
  return streamJsonLines(fileChunks(path, 'streamJsonLines'), { source: fileSource(path, options) });
}
