/**
 * annet's one error class and shape format come from `@annet/layer-api` (this package's only
 * dependency); this module re-exports them beside {@link formatValue}, which only optimizer
 * messages need.
 */
export { AnnetError, formatShape } from '@annet/layer-api';

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
