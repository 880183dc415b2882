import type { AnnetErrorCode } from '@annet/layer-api';

/**
 * Brand shared by every annet package's error class (`@annet/tensor` sets the same one), so
 * `error instanceof AnnetError` holds whichever package's copy of the class the caller imported.
 */
const brand = Symbol.for('annet.error');

/**
 * The one error type annet throws, as a branded twin of `@annet/tensor`'s class: this package may
 * not depend on `@annet/tensor`. The message starts with the operation and names what it got, what
 * it expected and how to fix it, e.g. `Adam: beta1 must be in [0, 1), got 1.2`.
 *
 * @example
 * try { new Adam({ beta1: 1.2 }); } catch (error) {
 *   if (error instanceof AnnetError && error.code === 'INVALID_ARGUMENT') console.error(error.message);
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
 * Formats a shape the way error messages print it: `[3,4]`.
 *
 * @example
 * formatShape([3, 4]); // '[3,4]'
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Formats any value for an error message: numbers and booleans as is, the rest as JSON.
 *
 * @example
 * formatValue('yes'); // '"yes"'
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return `the RegExp ${String(value)}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
