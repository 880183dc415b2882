/**
 * Catches a fast-check predicate that changes the values it was generated: a deep copy of the
 * arguments is taken before the predicate runs and compared with them after.
 *
 * The copy is structural (arrays, typed arrays, plain and class objects by their own enumerable
 * fields, Maps, Sets); functions and other opaque values are compared by identity.
 */
import { isDeepStrictEqual } from 'node:util';

const MAX_DEPTH = 32;
const CYCLE = Symbol('cycle');

/** A structural copy of `value` that later mutations of `value` do not reach. */
export function snapshotValue(value: unknown): unknown {
  return copy(value, new WeakSet(), 0);
}

function copy(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (typeof value === 'function' || depth > MAX_DEPTH) return value;
  if (ArrayBuffer.isView(value))
    return value instanceof DataView ? value : (value as unknown as { slice(): unknown }).slice();
  if (value instanceof ArrayBuffer) return value.slice(0);
  if (seen.has(value)) return CYCLE;
  seen.add(value);
  let result: unknown;
  if (Array.isArray(value)) result = value.map((item) => copy(item, seen, depth + 1));
  else if (value instanceof Map)
    result = { map: [...value].map(([key, item]) => [copy(key, seen, depth + 1), copy(item, seen, depth + 1)]) };
  else if (value instanceof Set) result = { set: [...value].map((item) => copy(item, seen, depth + 1)) };
  else if (value instanceof Date) result = { date: value.getTime() };
  else
    result = Object.fromEntries(
      Object.keys(value).map((key) => [key, copy((value as Record<string, unknown>)[key], seen, depth + 1)]),
    );
  seen.delete(value);
  return result;
}

/**
 * Compares the arguments `args` (fast-check's tuple) with the snapshot taken before the predicate
 * ran; returns a sentence naming the first changed argument, or undefined when none changed.
 */
export function describeMutation(before: unknown, args: unknown): string | undefined {
  const after = snapshotValue(args);
  if (isDeepStrictEqual(before, after)) return undefined;
  const index =
    Array.isArray(before) && Array.isArray(after)
      ? before.findIndex((item, i) => !isDeepStrictEqual(item, after[i]))
      : -1;
  const which = index >= 0 ? `argument ${index + 1}` : 'its arguments';
  const shown =
    index >= 0 ? `: was ${show((before as unknown[])[index])}, is now ${show((after as unknown[])[index])}` : '';
  return `the property's predicate changed ${which}${shown}. fast-check replays generated values while shrinking, so a predicate must copy a value before changing it (for example [...shape]).`;
}

function show(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_, item) =>
      ArrayBuffer.isView(item) ? Array.from(item as unknown as ArrayLike<number>) : item,
    );
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}
