import type { FloatArray, FloatDType } from '@annet/layer-api';
import { formatShape, formatValue } from '../annet-error.js';
import { decodeNumber } from '../serialization/json-numbers.js';
import type { PlateauState } from '../schedules/schedule-types.js';

/** One saved parameter entry, checked. */
export interface ParsedEntry {
  readonly step: number;
  readonly dtype: FloatDType;
  readonly shape: readonly number[];
  readonly scalars: Float64Array;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a saved parameter entry `{ step, dtype, shape, scalars }`; a string says what is wrong.
 *
 * @example
 * parseEntry({ step: 3, dtype: 'float32', shape: [2], scalars: {} }, []); // { step: 3, ... }
 */
export function parseEntry(raw: unknown, scalarNames: readonly string[]): ParsedEntry | string {
  if (!isRecord(raw)) return `entry must be an object, got ${formatValue(raw)}`;
  const { step, dtype, shape, scalars = {} } = raw;
  if (!isCount(step)) return `step must be an integer >= 0, got ${formatValue(step)}`;
  if (dtype !== 'float32' && dtype !== 'float64') return `dtype must be "float32" or "float64", got ${formatValue(dtype)}`;
  if (!Array.isArray(shape) || !shape.every(isCount)) return `shape must be a list of integers >= 0, got ${formatValue(shape)}`;
  if (!isRecord(scalars)) return `scalars must be an object, got ${formatValue(scalars)}`;
  const values = new Float64Array(scalarNames.length);
  for (const [index, scalar] of scalarNames.entries()) {
    const value = decodeNumber(scalars[scalar]);
    if (value === undefined) return `scalars.${scalar} must be a number, got ${formatValue(scalars[scalar])}`;
    values[index] = value;
  }
  const extra = Object.keys(scalars).filter((scalar) => !scalarNames.includes(scalar));
  if (extra.length > 0) return `scalars has unknown ${extra.join(', ')} (expected ${scalarNames.length === 0 ? 'none' : scalarNames.join(', ')})`;
  return { step, dtype, shape: [...shape], scalars: values };
}

/**
 * Checks a saved state array against its entry; a string says what is wrong.
 *
 * @example
 * checkSavedArray({ shape: [2], value: new Float32Array(2) }, entry); // undefined when it fits
 */
export function checkSavedArray(raw: unknown, entry: ParsedEntry): string | undefined {
  if (!isRecord(raw)) return `must be { shape, value }, got ${formatValue(raw)}`;
  const { shape, value } = raw;
  const expectedType = entry.dtype === 'float32' ? Float32Array : Float64Array;
  if (!(value instanceof expectedType)) return `value must be a ${expectedType.name} (the state is ${entry.dtype}), got ${(value as object | undefined)?.constructor?.name ?? formatValue(value)}`;
  if (!Array.isArray(shape) || shape.length !== entry.shape.length || shape.some((dimension, axis) => dimension !== entry.shape[axis])) {
    return `shape ${Array.isArray(shape) ? formatShape(shape) : formatValue(shape)} differs from the entry's ${formatShape(entry.shape)}`;
  }
  const size = entry.shape.reduce((product, dimension) => product * dimension, 1);
  if ((value as FloatArray).length !== size) return `has ${(value as FloatArray).length} values, shape ${formatShape(entry.shape)} needs ${size}`;
  return undefined;
}

/**
 * Checks a saved plateau state; a string says what is wrong.
 *
 * @example
 * parsePlateauState({ best: null, badEpochs: 0, cooldownCounter: 0, scale: 1 });
 */
export function parsePlateauState(raw: unknown): PlateauState | string {
  if (!isRecord(raw)) return `must be an object, got ${formatValue(raw)}`;
  const best = raw.best === null ? null : decodeNumber(raw.best);
  const scale = decodeNumber(raw.scale);
  if (best === undefined) return `best must be a number or null, got ${formatValue(raw.best)}`;
  if (!isCount(raw.badEpochs)) return `badEpochs must be an integer >= 0, got ${formatValue(raw.badEpochs)}`;
  if (!isCount(raw.cooldownCounter)) return `cooldownCounter must be an integer >= 0, got ${formatValue(raw.cooldownCounter)}`;
  if (scale === undefined) return `scale must be a number, got ${formatValue(raw.scale)}`;
  return { best, badEpochs: raw.badEpochs, cooldownCounter: raw.cooldownCounter, scale };
}

/**
 * A copy of a saved array in a fresh buffer of the entry's type.
 *
 * @example
 * copyArray(saved.value, 'float32');
 */
export function copyArray(value: FloatArray, dtype: FloatDType): FloatArray {
  return dtype === 'float32' ? new Float32Array(value) : new Float64Array(value);
}
