import { AnnetError, Tensor } from '@annet/tensor';
import type { Vocabulary } from './vocabulary.js';

/**
 * Options of a tokenizer's `encode`.
 *
 * @example
 * tokenizer.encode('hello', { maxLength: 64 });
 */
export interface EncodeOptions {
  /** Refuse a text of more tokens than this (default: the tokenizer's `maxLength`, if any). */
  readonly maxLength?: number;
}

/**
 * Options of a tokenizer's `decode`.
 *
 * @example
 * tokenizer.decode(ids, { keepPadding: true });
 */
export interface DecodeOptions {
  /** Keep padding ids in the output (as `<pad>`); by default they are dropped. */
  readonly keepPadding?: boolean;
}

/** The numbers of `ids` (a tensor or any array-like), each checked to be an id of `vocabulary`. */
export function readIds(ids: Tensor | ArrayLike<number>, vocabulary: Vocabulary, operation: string): ArrayLike<number> {
  const values = ids instanceof Tensor ? ids.toTypedArray() : ids;
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected token ids as an array or tensor, got ${Object.prototype.toString.call(ids)}`,
    );
  }
  for (let position = 0; position < values.length; position++) {
    const id = values[position];
    if (!Number.isInteger(id) || id < 0 || id >= vocabulary.size) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        operation,
        `token id ${id} at position ${position} is outside the vocabulary's range [0, ${vocabulary.size})`,
      );
    }
  }
  return values;
}

/** The tokens of checked `ids`, padding dropped unless `keepPadding`. */
export function idsToTokens(
  ids: Tensor | ArrayLike<number>,
  vocabulary: Vocabulary,
  options: DecodeOptions,
  operation: string,
): string[] {
  const values = readIds(ids, vocabulary, operation);
  const tokens: string[] = [];
  for (let position = 0; position < values.length; position++) {
    const id = values[position];
    if (id === vocabulary.paddingId && !options.keepPadding) continue;
    tokens.push(vocabulary.tokens[id]);
  }
  return tokens;
}

/** Refuses a sequence of `length` tokens when it is over `maxLength`. */
export function checkLength(length: number, maxLength: number | undefined, operation: string): void {
  if (maxLength !== undefined && length > maxLength) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `the sequence has ${length} tokens, more than the maximum of ${maxLength}; split or truncate it, or raise maxLength`,
    );
  }
}

/** The ids of `tokens` (already lowercased if the tokenizer lowercases), refusing more than `maxLength` and unknown tokens. */
export function tokensToIds(
  tokens: readonly string[],
  vocabulary: Vocabulary,
  maxLength: number | undefined,
  operation: string,
): Int32Array {
  checkLength(tokens.length, maxLength, operation);
  const ids = new Int32Array(tokens.length);
  for (let position = 0; position < tokens.length; position++)
    ids[position] = vocabulary.idOf(tokens[position], operation);
  return ids;
}
