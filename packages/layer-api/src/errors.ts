/**
 * The machine-readable kinds of {@link AnnetError}: the one list every annet package uses.
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

/** The fields every annet error has, for code that only describes errors structurally. */
export interface AnnetErrorLike extends Error {
  /** Always `'AnnetError'`. */
  readonly name: 'AnnetError';
  /** What kind of problem it is. */
  readonly code: AnnetErrorCode;
  /** The operation that failed, such as `matmul` or `Dense "dense_1"`; the message starts with it. */
  readonly operation: string;
}

/**
 * Brand set on every AnnetError. `instanceof` checks it, so an error still passes when an app
 * ends up with two installed versions of this package (each with its own class object).
 */
const brand = Symbol.for('annet.error');

/**
 * The one error type annet throws, from every package (`@annet/tensor`, `@annet/optimizers` and
 * the rest re-export this class). The message starts with the operation and names what it got,
 * what it expected and how to fix it, e.g. `matmul: inner dimensions differ: [64,784] x [128,10]`.
 *
 * @example
 * try { matmul(a, b); } catch (error) {
 *   if (error instanceof AnnetError && error.code === 'SHAPE_MISMATCH') console.error(error.message);
 * }
 */
export class AnnetError extends Error implements AnnetErrorLike {
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

  /** True for any annet error, whichever installed copy of this package threw it. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/**
 * Formats a shape the way every annet message prints it: brackets, commas, no spaces.
 *
 * @example
 * formatShape([64, 784]); // '[64,784]'
 * formatShape([]); // '[]' (a scalar)
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
