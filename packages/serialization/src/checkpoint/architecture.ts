import type { JsonObject, JsonValue } from '@annet/layer-api';
import { AnnetError } from '@annet/tensor';

function kindOf(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(expected: JsonValue | undefined, found: JsonValue | undefined, path: string, out: string[]): void {
  if (expected === found) return;
  if (Array.isArray(expected) && Array.isArray(found)) {
    if (expected.length !== found.length)
      out.push(`${path || '(root)'}: expected ${kindOf(expected)}, found ${kindOf(found)}`);
    for (let index = 0; index < Math.min(expected.length, found.length); index++)
      compare(expected[index], found[index], `${path}[${index}]`, out);
    return;
  }
  if (isObject(expected) && isObject(found)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
    for (const key of keys) {
      const child = path === '' ? key : `${path}.${key}`;
      compare(
        Object.hasOwn(expected, key) ? expected[key] : undefined,
        Object.hasOwn(found, key) ? found[key] : undefined,
        child,
        out,
      );
    }
    return;
  }
  out.push(`${path || '(root)'}: expected ${kindOf(expected)}, found ${kindOf(found)}`);
}

/**
 * Every difference between two architectures (or any JSON values), one line each, as
 * `path: expected …, found …`; empty when they are equal. Keys are compared regardless of order.
 *
 * @example
 * architectureDifferences({ units: 64 }, { units: 32 }); // ['units: expected 64, found 32']
 */
export function architectureDifferences(expected: JsonValue, found: JsonValue): string[] {
  const out: string[] = [];
  compare(expected, found, '', out);
  return out;
}

/**
 * Throws an AnnetError listing where the architecture found in a checkpoint differs from the
 * expected one (the model being loaded into), so weights are never loaded into the wrong shape
 * of model. Lists up to 20 differences.
 *
 * @example
 * assertArchitectureMatches(model.getConfig(), checkpoint.architecture, 'run/model.ckpt');
 * // AnnetError: assertArchitectureMatches: run/model.ckpt: the checkpoint's architecture differs from the model's in 1 place: layers[1].units: expected 64, found 32
 */
export function assertArchitectureMatches(expected: JsonValue, found: JsonValue, source = '<bytes>'): void {
  const differences = architectureDifferences(expected, found);
  if (differences.length === 0) return;
  const shown = differences.slice(0, 20).join('; ');
  const more = differences.length > 20 ? `; and ${differences.length - 20} more` : '';
  const places = differences.length === 1 ? '1 place' : `${differences.length} places`;
  throw new AnnetError(
    'INVALID_ARGUMENT',
    'assertArchitectureMatches',
    `${source}: the checkpoint's architecture differs from the model's in ${places}: ${shown}${more}`,
  );
}
