import { AnnetError, type AnnetErrorCode } from '@annet/tensor';

/**
 * Where in a source a problem sits: a line and column of a text file, an item of an array file,
 * or nothing for problems of the whole file.
 *
 * @example
 * const place: Place = { line: 17, column: 3, columnName: 'age' };
 */
export interface Place {
  /** 1-based physical line of a text source. */
  readonly line?: number;
  /** 1-based field number of a CSV record. */
  readonly column?: number;
  /** Name of the column, when the file has a header. */
  readonly columnName?: string;
  /** 0-based item index (an IDX item, a sample). */
  readonly item?: number;
}

/**
 * Formats a place the way messages print it: `line 17, column 3 ("age")`.
 *
 * @example
 * formatPlace({ line: 17, column: 3, columnName: 'age' }); // 'line 17, column 3 ("age")'
 */
export function formatPlace(place: Place): string {
  const parts: string[] = [];
  if (place.line !== undefined) parts.push(`line ${place.line}`);
  if (place.column !== undefined)
    parts.push(
      `column ${place.column}${place.columnName !== undefined ? ` (${JSON.stringify(place.columnName)})` : ''}`,
    );
  if (place.item !== undefined) parts.push(`item ${place.item}`);
  return parts.join(', ');
}

/**
 * An {@link AnnetError} whose message names the source (a file name or the caller's `source`
 * option) and the place in it: `readCsv: iris.csv line 17, column 3 ("age"): expected a number`.
 *
 * @example
 * throw sourceError('PARSE_ERROR', 'readCsv', 'iris.csv', { line: 17, column: 3 }, 'expected a number, got "abc"');
 */
export function sourceError(
  code: AnnetErrorCode,
  operation: string,
  source: string,
  place: Place,
  detail: string,
  cause?: unknown,
): AnnetError {
  const where = formatPlace(place);
  return new AnnetError(
    code,
    operation,
    `${source}${where ? ` ${where}` : ''}: ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}
