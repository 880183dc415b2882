import { AnnetError } from '@annet/tensor';

/**
 * How {@link buildTokenList} orders the kept tokens: `'frequency'` (most frequent first, ties by
 * code-unit order, as Keras's `TextVectorization`) or `'sorted'` (code-unit order, as nanoGPT's
 * character vocabulary).
 *
 * @example
 * const order: TokenOrder = 'sorted';
 */
export type TokenOrder = 'frequency' | 'sorted';

/**
 * Options of {@link buildTokenList}.
 *
 * @example
 * const options: TokenListOptions = { minFrequency: 2, maxTokens: 20000, order: 'frequency' };
 */
export interface TokenListOptions {
  /** Keep tokens seen at least this many times (default 1). */
  readonly minFrequency?: number;
  /** Keep at most this many tokens (the most frequent; default all). */
  readonly maxTokens?: number;
  /** Id order of the kept tokens. */
  readonly order: TokenOrder;
}

/** Throws unless `value` is an integer >= `minimum`. */
export function checkCountOption(value: number, minimum: number, name: string, operation: string): number {
  if (!Number.isSafeInteger(value) || value < minimum)
    throw new AnnetError('INVALID_ARGUMENT', operation, `${name} must be an integer >= ${minimum}, got ${value}`);
  return value;
}

/** `a` before `b` in code-unit order (not locale order, which differs between machines). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The tokens to give ids to: those counted at least `minFrequency` times, the `maxTokens` most
 * frequent (ties broken by code-unit order, so the result never depends on the order of the
 * text), in the chosen order.
 *
 * @example
 * buildTokenList(new Map([['b', 3], ['a', 3], ['c', 1]]), { minFrequency: 2, order: 'frequency' }, 'fit'); // ['a', 'b']
 */
export function buildTokenList(
  counts: ReadonlyMap<string, number>,
  options: TokenListOptions,
  operation: string,
): string[] {
  const minFrequency = checkCountOption(options.minFrequency ?? 1, 1, 'minFrequency', operation);
  const maxTokens =
    options.maxTokens === undefined
      ? Number.POSITIVE_INFINITY
      : checkCountOption(options.maxTokens, 0, 'maxTokens', operation);
  const kept = [...counts].filter(([, count]) => count >= minFrequency);
  kept.sort(([tokenA, countA], [tokenB, countB]) => countB - countA || compareCodeUnits(tokenA, tokenB));
  const tokens = kept.slice(0, Math.min(kept.length, maxTokens)).map(([token]) => token);
  return options.order === 'sorted' ? tokens.sort(compareCodeUnits) : tokens;
}
