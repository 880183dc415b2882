import { AnnetError } from '@annet/tensor';

/**
 * The tokenizers a {@link Vocabulary} can belong to. A vocabulary records its kind, and loading
 * it for another kind is refused (a character vocabulary would encode words as unknowns).
 *
 * @example
 * const kind: TokenizerKind = 'word';
 */
export type TokenizerKind = 'character' | 'word';

/** The spelling of the padding token in {@link Vocabulary.tokens}. */
export const paddingToken = '<pad>';
/** The spelling of the unknown token in {@link Vocabulary.tokens}. */
export const unknownToken = '<unk>';

/**
 * A {@link Vocabulary} as JSON (what `toJSON` writes and `fromJSON` reads). Reserved ids come
 * first: padding is id 0 when present, unknown the next one; `tokens` lists the others. A type
 * (not an interface) so that it is assignable to `JsonObject`, for `fit`'s `runSettings`.
 *
 * @example
 * const state: VocabularyState = { format: 'annet.vocabulary', version: 1, tokenizer: 'character', lowercase: false, padding: true, unknown: true, tokens: ['a', 'b'] };
 */
export type VocabularyState = {
  /** Always `'annet.vocabulary'`. */
  readonly format: 'annet.vocabulary';
  /** Format version: 1. */
  readonly version: 1;
  /** The tokenizer that made it. */
  readonly tokenizer: TokenizerKind;
  /** Whether the tokenizer lowercases before looking tokens up. */
  readonly lowercase: boolean;
  /** Whether id 0 is the padding token. */
  readonly padding: boolean;
  /** Whether an unknown token exists (after padding); without it, an unseen token is an error. */
  readonly unknown: boolean;
  /** The tokens after the reserved ones, in id order (the first has id 0, 1 or 2). */
  readonly tokens: string[];
};

/** Options of {@link Vocabulary}'s constructor. */
export interface VocabularyOptions {
  /** The tokenizer kind recorded in the JSON (checked when loading). */
  readonly tokenizer: TokenizerKind;
  /** Whether the tokenizer lowercases (recorded so a loaded tokenizer behaves the same). Default false. */
  readonly lowercase?: boolean;
  /** Reserve id 0 for padding. Default true. */
  readonly padding?: boolean;
  /** Reserve an id (after padding) for tokens not in the vocabulary. Default true. */
  readonly unknown?: boolean;
}

/**
 * A bijection between tokens (strings) and integer ids `0 … size − 1`, with reserved ids for
 * padding (0) and unknown tokens (1) unless turned off. It is plain data: `toJSON` gives a
 * {@link VocabularyState} to save beside a model (for example as `fit`'s `runSettings`, which
 * every checkpoint records), and `fromJSON` checks the tokenizer kind and every field.
 *
 * @example
 * const vocabulary = new Vocabulary(['the', 'cat'], { tokenizer: 'word' });
 * vocabulary.idOf('cat');   // 3 (0 is <pad>, 1 is <unk>)
 * vocabulary.idOf('dog');   // 1 (unknown)
 * vocabulary.tokenOf(2);    // 'the'
 */
export class Vocabulary {
  /** The tokenizer kind this vocabulary belongs to. */
  readonly tokenizer: TokenizerKind;
  /** Whether tokens are lowercased before lookup. */
  readonly lowercase: boolean;
  /** Id of the padding token, or `null` without one. */
  readonly paddingId: number | null;
  /** Id of the unknown token, or `null` without one (unseen tokens are then refused). */
  readonly unknownId: number | null;
  private readonly list: readonly string[];
  private readonly ids: Map<string, number>;

  /** A vocabulary of the reserved tokens followed by `tokens` (distinct strings, in id order). */
  constructor(tokens: readonly string[], options: VocabularyOptions) {
    const operation = 'Vocabulary';
    if (options?.tokenizer !== 'character' && options?.tokenizer !== 'word') {
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `tokenizer must be "character" or "word", got ${JSON.stringify(options?.tokenizer)}`,
      );
    }
    this.tokenizer = options.tokenizer;
    this.lowercase = options.lowercase ?? false;
    const reserved: string[] = [];
    if (options.padding ?? true) reserved.push(paddingToken);
    if (options.unknown ?? true) reserved.push(unknownToken);
    this.paddingId = (options.padding ?? true) ? 0 : null;
    this.unknownId = (options.unknown ?? true) ? reserved.length - 1 : null;
    if (!Array.isArray(tokens))
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `expected an array of token strings, got ${Object.prototype.toString.call(tokens)}`,
      );
    this.list = [...reserved, ...tokens];
    this.ids = new Map();
    for (let id = 0; id < this.list.length; id++) {
      const token = this.list[id];
      if (typeof token !== 'string' || token.length === 0)
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `token ${id} must be a non-empty string, got ${JSON.stringify(token)}`,
        );
      if (this.ids.has(token))
        throw new AnnetError(
          'INVALID_ARGUMENT',
          operation,
          `token ${JSON.stringify(token)} appears twice (ids ${this.ids.get(token)} and ${id}); tokens must be distinct and must not repeat the reserved ${paddingToken} or ${unknownToken}`,
        );
      this.ids.set(token, id);
    }
  }

  /** Number of ids, reserved ones included. */
  get size(): number {
    return this.list.length;
  }

  /** Every token, by id (reserved ones first). */
  get tokens(): readonly string[] {
    return this.list;
  }

  /** Whether `token` (as given, not lowercased) has an id of its own. */
  has(token: string): boolean {
    return this.ids.has(token);
  }

  /**
   * The id of `token` (looked up as given; tokenizers lowercase first when asked). An unseen
   * token maps to the unknown id, or, in a vocabulary without one, is refused naming it.
   */
  idOf(token: string, operation = 'Vocabulary.idOf'): number {
    const id = this.ids.get(token);
    if (id !== undefined) return id;
    if (this.unknownId !== null) return this.unknownId;
    throw new AnnetError(
      'NOT_FOUND',
      operation,
      `${JSON.stringify(token)} is not in the ${this.tokenizer} vocabulary of ${this.size} tokens, which has no unknown token; build the vocabulary with unknown: true, or from text that contains it`,
    );
  }

  /** The token of `id`; an id outside `[0, size)` is refused. */
  tokenOf(id: number, operation = 'Vocabulary.tokenOf'): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.list.length) {
      throw new AnnetError(
        'INDEX_OUT_OF_RANGE',
        operation,
        `token id ${id} is outside the vocabulary's range [0, ${this.list.length})`,
      );
    }
    return this.list[id];
  }

  /** The vocabulary as JSON (a {@link VocabularyState}), ready for `JSON.stringify` or `runSettings`. */
  toJSON(): VocabularyState {
    const reserved = (this.paddingId === null ? 0 : 1) + (this.unknownId === null ? 0 : 1);
    return {
      format: 'annet.vocabulary',
      version: 1,
      tokenizer: this.tokenizer,
      lowercase: this.lowercase,
      padding: this.paddingId !== null,
      unknown: this.unknownId !== null,
      tokens: this.list.slice(reserved),
    };
  }

  /**
   * A vocabulary from its JSON, checked field by field. With `tokenizer`, a vocabulary of another
   * tokenizer is refused (`INVALID_STATE`), so a word vocabulary cannot silently feed a character model.
   */
  static fromJSON(state: unknown, expected?: { readonly tokenizer?: TokenizerKind }): Vocabulary {
    const operation = 'Vocabulary.fromJSON';
    const fail = (detail: string) =>
      new AnnetError('INVALID_STATE', operation, `${detail}; expected what Vocabulary.toJSON() returns`);
    if (typeof state !== 'object' || state === null || Array.isArray(state))
      throw fail(`got ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}`);
    const value = state as Record<string, unknown>;
    if (value.format !== 'annet.vocabulary')
      throw fail(`format is ${JSON.stringify(value.format)?.slice(0, 60)}, not "annet.vocabulary"`);
    if (value.version !== 1)
      throw fail(
        `version ${JSON.stringify(value.version)?.slice(0, 20)} is not supported (this build reads version 1)`,
      );
    if (value.tokenizer !== 'character' && value.tokenizer !== 'word')
      throw fail(`tokenizer is ${JSON.stringify(value.tokenizer)?.slice(0, 60)}, not "character" or "word"`);
    if (expected?.tokenizer !== undefined && value.tokenizer !== expected.tokenizer) {
      throw new AnnetError(
        'INVALID_STATE',
        operation,
        `the vocabulary belongs to a ${value.tokenizer} tokenizer, not a ${expected.tokenizer} tokenizer; load it with the ${value.tokenizer === 'word' ? 'WordTokenizer' : 'CharacterTokenizer'}`,
      );
    }
    for (const field of ['lowercase', 'padding', 'unknown'] as const) {
      if (typeof value[field] !== 'boolean')
        throw fail(`${field} must be a boolean, got ${JSON.stringify(value[field])?.slice(0, 40)}`);
    }
    if (!Array.isArray(value.tokens)) throw fail('tokens must be an array of strings');
    try {
      return new Vocabulary(value.tokens as string[], {
        tokenizer: value.tokenizer,
        lowercase: value.lowercase as boolean,
        padding: value.padding as boolean,
        unknown: value.unknown as boolean,
      });
    } catch (error) {
      throw new AnnetError('INVALID_STATE', operation, (error as AnnetError).message.replace(/^Vocabulary: /, ''), {
        cause: error,
      });
    }
  }
}
