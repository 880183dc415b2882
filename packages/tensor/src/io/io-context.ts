import { AnnetError, type AnnetErrorCode } from '../errors.js';

/** Who is reading what: every reader error names both, e.g. `decodeNpy: weights.npy: …`. */
export interface IoContext {
  /** The public function that failed, such as `decodeNpy`. */
  readonly operation: string;
  /** The file or label the bytes came from, such as `weights.npy`, or `<bytes>`. */
  readonly source: string;
}

/** The label used when a caller gives no source name. */
export const anonymousSource = '<bytes>';

/**
 * An {@link IoContext} for `operation`, labelling unnamed input as `<bytes>`.
 *
 * @example
 * ioContext('decodeNpy', undefined); // { operation: 'decodeNpy', source: '<bytes>' }
 */
export function ioContext(operation: string, source: string | undefined): IoContext {
  return { operation, source: source === undefined || source === '' ? anonymousSource : source };
}

/**
 * An AnnetError whose message reads `operation: source: detail`.
 *
 * @example
 * ioError(ioContext('decodeNpy', 'a.npy'), 'PARSE_ERROR', 'truncated').message; // 'decodeNpy: a.npy: truncated'
 */
export function ioError(context: IoContext, code: AnnetErrorCode, detail: string): AnnetError {
  return new AnnetError(code, context.operation, `${context.source}: ${detail}`);
}
