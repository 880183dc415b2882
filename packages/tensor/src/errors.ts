/**
 * The machine-readable kinds of {@link AnnetError}. The same union is declared, types only, in
 * `@annet/layer-api` (this package depends on nothing, so it keeps its own copy).
 */
export type AnnetErrorCode =
  | 'SHAPE_MISMATCH'
  | 'INVALID_AXIS'
  | 'DTYPE_MISMATCH'
  | 'INDEX_OUT_OF_RANGE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_STATE'
  | 'PARSE_ERROR'
  | 'IO_ERROR'
  | 'CHECKSUM_MISMATCH'
  | 'UNSUPPORTED'
  | 'NOT_FOUND';

/**
 * Brand shared by every annet package's error class, so `error instanceof AnnetError` holds for
 * errors thrown by `@annet/optimizers` too (which cannot import this package).
 */
const brand = Symbol.for('annet.error');

/**
 * The one error type annet throws. The message starts with the operation and names what it got
 * and what it expected, e.g. `matmul: inner dimensions differ: [64,784] x [128,10]`.
 *
 * @example
 * try { matmul(a, b); } catch (error) {
 *   if (error instanceof AnnetError && error.code === 'SHAPE_MISMATCH') console.error(error.message);
 * }
 */
export class AnnetError extends Error {
  override readonly name = 'AnnetError' as const;
  /** What kind of problem it is. */
  readonly code: AnnetErrorCode;
  /** The operation that failed; the message starts with it. */
  readonly operation: string;

  constructor(code: AnnetErrorCode, operation: string, detail: string, options?: { cause?: unknown }) {
    super(`${operation}: ${detail}`, options);
    this.code = code;
    this.operation = operation;
    (this as unknown as Record<symbol, boolean>)[brand] = true;
  }

  /** True for any annet error, whichever package's copy of the class threw it. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/**
 * Formats a shape the way error messages print it: `[64,784]`.
 *
 * @example
 * formatShape([64, 784]); // '[64,784]'
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
