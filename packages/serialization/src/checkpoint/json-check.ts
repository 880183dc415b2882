import { AnnetError } from '@annet/tensor';

/** How deep JSON documents may nest, checked when writing and when reading. */
export const maximumJsonDepth = 512;

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  const name = Object.prototype.toString.call(value).slice(8, -1);
  return `a ${name}`;
}

/**
 * Checks that `value` survives `JSON.stringify` → `JSON.parse` unchanged: null, booleans, finite
 * numbers, strings, arrays without holes and plain objects, without cycles. Object properties
 * that are `undefined` are allowed (JSON leaves them out, and they read back as missing). The
 * error names the path of the first offending value, e.g. `optimizer.state.m`.
 *
 * @example
 * assertJson({ loss: [0.5, Number.NaN] }, 'history', 'encodeCheckpoint'); // throws: history.loss[1] is NaN …
 */
export function assertJson(value: unknown, path: string, operation: string): void {
  visit(value, path, operation, 0, new Set());
}

function visit(value: unknown, path: string, operation: string, depth: number, ancestors: Set<object>): void {
  const fail = (detail: string) => new AnnetError('INVALID_ARGUMENT', operation, `${path} ${detail}`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw fail(`is ${value}, which JSON cannot hold (it has no NaN or Infinity)`);
    return;
  }
  if (typeof value !== 'object') throw fail(`is ${describe(value)}, which JSON cannot hold`);
  if (depth >= maximumJsonDepth) throw fail(`is nested more than ${maximumJsonDepth} levels deep`);
  if (ancestors.has(value)) throw fail('refers back to one of its own ancestors (a cycle)');
  if (ArrayBuffer.isView(value))
    throw fail(`is ${describe(value)}, which JSON cannot hold; arrays belong in the checkpoint's tensors`);
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || value[index] === undefined)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `${path}[${index}] is empty or undefined, which JSON would turn into null`,
        );
      visit(value[index], `${path}[${index}]`, operation, depth + 1, ancestors);
    }
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null)
      throw fail(`is ${describe(value)}, not a plain object, so JSON would not keep it`);
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) visit(child, `${path}.${key}`, operation, depth + 1, ancestors);
    }
  }
  ancestors.delete(value);
}

/**
 * The nesting depth of a parsed JSON value (0 for a scalar), counted without recursion and
 * stopping once `limit` is passed, so a hostile file nested a million levels deep cannot overflow
 * the stack of whoever walks the value later.
 *
 * @example
 * jsonDepth([[1], { a: [] }], 512); // 2
 */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push([child, level]);
  }
  return deepest;
}
