/**
 * A short, bounded description of any value for an error message: numbers and short strings
 * as written, arrays by length, anything else by kind. Never serializes the value, so a hostile
 * or huge argument cannot make building the message itself throw or allocate.
 *
 * @example
 * describeValue({});      // 'an object'
 * describeValue('1');     // 'the string "1"'
 * describeValue([1, 2]);  // 'an array of length 2'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
