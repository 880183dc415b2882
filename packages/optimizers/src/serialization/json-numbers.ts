import type { FloatArray, FloatDType, JsonValue } from '@annet/layer-api';

/**
 * A number as JSON can carry it exactly. JSON has no NaN, no infinities and prints `-0` as `0`, so
 * those four values travel as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` and `"-0"`; every
 * other number is written as is (JavaScript prints the shortest text that parses back to the same
 * float64, so float32 values also round-trip bit for bit).
 *
 * @example
 * encodeNumber(0.5); // 0.5
 * encodeNumber(-0); // "-0"
 */
export function encodeNumber(value: number): number | string {
  if (value === 0) return Object.is(value, -0) ? '-0' : 0;
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

/**
 * Reads back what {@link encodeNumber} wrote; `undefined` when `value` is neither a number nor one
 * of the four special strings.
 *
 * @example
 * decodeNumber('-Infinity'); // -Infinity
 */
export function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  switch (value) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    default:
      return undefined;
  }
}

/**
 * A typed array as a JSON list, element by element through {@link encodeNumber}.
 *
 * @example
 * encodeArray(new Float32Array([1, -0])); // [1, "-0"]
 */
export function encodeArray(values: FloatArray): JsonValue[] {
  const list = new Array<JsonValue>(values.length);
  for (let index = 0; index < values.length; index++) list[index] = encodeNumber(values[index]);
  return list;
}

/**
 * A JSON list back into a typed array of `dtype`; `undefined` when `list` is not a list or holds
 * anything {@link decodeNumber} refuses.
 *
 * @example
 * decodeArray([1, 'NaN'], 'float64'); // Float64Array [1, NaN]
 */
export function decodeArray(list: unknown, dtype: FloatDType): FloatArray | undefined {
  if (!Array.isArray(list)) return undefined;
  const values = dtype === 'float32' ? new Float32Array(list.length) : new Float64Array(list.length);
  for (let index = 0; index < list.length; index++) {
    const value = decodeNumber(list[index]);
    if (value === undefined) return undefined;
    values[index] = value;
  }
  return values;
}

/**
 * The dtype name of a parameter's typed array.
 *
 * @example
 * dtypeOf(new Float32Array(2)); // 'float32'
 */
export function dtypeOf(values: FloatArray): FloatDType {
  return values instanceof Float32Array ? 'float32' : 'float64';
}
