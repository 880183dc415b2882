import { AnnetError } from '@annet/tensor';

/**
 * Throws when `options` holds a key that is not an option of `operation`: a misspelled or
 * invented option (`chunkSize` for `chunkRows`) would otherwise be ignored without a word.
 * Also refuses options that are not an object.
 *
 * @example
 * checkOptionNames({ chunkSize: 10 }, ['chunkRows'], 'streamCsv'); // throws 'streamCsv: unknown option "chunkSize"; ...'
 */
export function checkOptionNames(options: unknown, known: readonly string[], operation: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const printable = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
    const suggestion = closest(name, known);
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `unknown option ${printable}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}; the options are ${known.join(', ')}`,
    );
  }
}

/** The known name nearest to `name` by edit distance, when it is near enough to be a slip. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor((best?.length ?? 0) / 2)) ? best : undefined;
}

/** Levenshtein distance (one row of the dynamic-programming table at a time). */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
