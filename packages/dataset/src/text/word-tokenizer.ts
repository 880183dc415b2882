import { AnnetError, Tensor } from '@annet/tensor';
import { buildTokenList } from './token-counts.js';
import { checkTokenizerOptions, vocabularyOfKind } from './tokenizer-setup.js';
import { idsToTokens, tokensToIds, type DecodeOptions, type EncodeOptions } from './token-ids.js';
import { Vocabulary, type VocabularyState } from './vocabulary.js';

/**
 * Options of {@link WordTokenizer}.
 *
 * @example
 * new WordTokenizer({ lowercase: true, minFrequency: 2, maxTokens: 20000 });
 */
export interface WordTokenizerOptions {
  /** Lowercase words before fitting and encoding (default false). */
  readonly lowercase?: boolean;
  /** Give an id only to words seen at least this often in `fit` (default 1); rarer words encode as unknown. */
  readonly minFrequency?: number;
  /** Keep at most this many words, the most frequent (default all). */
  readonly maxTokens?: number;
  /** Reserve id 0 for padding (default true). */
  readonly padding?: boolean;
  /** Reserve an id for unseen words (default true); without it, encoding one is an error. */
  readonly unknown?: boolean;
  /** Refuse to encode a sequence of more words than this (default: no limit). */
  readonly maxLength?: number;
}

/** Words of a text split at white space, or a sequence of words already split. */
function wordsOf(input: string | readonly string[], operation: string): readonly string[] {
  if (typeof input === 'string') return input.split(/\s+/u).filter((word) => word.length > 0);
  if (!Array.isArray(input))
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected a string or an array of words, got ${Object.prototype.toString.call(input)}`,
    );
  for (let position = 0; position < input.length; position++) {
    if (typeof input[position] !== 'string')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `word ${position} is ${Object.prototype.toString.call(input[position])}, expected a string`,
      );
  }
  return input;
}

/**
 * Maps words to ids. Input is a string (split at white space) or an array of words already
 * split (as a tagged corpus gives them). `fit` builds the vocabulary: the words seen at least
 * `minFrequency` times, most frequent first (ties in code-unit order), after the reserved ids;
 * rarer and unseen words encode as the unknown id.
 *
 * @example
 * const tokenizer = new WordTokenizer({ lowercase: true }).fit(['The cat sat', 'the dog']);
 * tokenizer.encode('The dog barked');    // Int32Array [2, 4, 1] ('the' is the most frequent, 'barked' unknown)
 * tokenizer.decode([2, 4, 1]);           // ['the', 'dog', '<unk>']
 */
export class WordTokenizer {
  private readonly options: WordTokenizerOptions;
  private fitted: Vocabulary | null = null;

  constructor(options: WordTokenizerOptions = {}) {
    checkTokenizerOptions(options, 'WordTokenizer');
    this.options = { ...options };
  }

  /** A tokenizer using a saved vocabulary; a vocabulary of another tokenizer kind is refused. */
  static fromVocabulary(
    vocabulary: Vocabulary | VocabularyState,
    options: { readonly maxLength?: number } = {},
  ): WordTokenizer {
    const loaded = vocabularyOfKind(vocabulary, 'word', 'WordTokenizer.fromVocabulary');
    const tokenizer = new WordTokenizer({ lowercase: loaded.lowercase, maxLength: options.maxLength });
    tokenizer.fitted = loaded;
    return tokenizer;
  }

  /** The vocabulary (after `fit` or `fromVocabulary`). */
  get vocabulary(): Vocabulary {
    if (this.fitted === null)
      throw new AnnetError(
        'INVALID_STATE',
        'WordTokenizer',
        'the tokenizer has no vocabulary yet; call fit(texts) or use WordTokenizer.fromVocabulary(saved)',
      );
    return this.fitted;
  }

  /** Builds the vocabulary from texts (strings split at white space, or arrays of words). */
  fit(texts: Iterable<string | readonly string[]>): this {
    const operation = 'WordTokenizer.fit';
    if (typeof texts === 'string')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        'expected several texts (an array of strings or of word arrays), got one string; wrap it in an array',
      );
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const word of wordsOf(text, operation)) {
        const key = this.prepare(word);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const tokens = buildTokenList(
      counts,
      { minFrequency: this.options.minFrequency, maxTokens: this.options.maxTokens, order: 'frequency' },
      operation,
    );
    this.fitted = new Vocabulary(tokens, {
      tokenizer: 'word',
      lowercase: this.options.lowercase,
      padding: this.options.padding,
      unknown: this.options.unknown,
    });
    return this;
  }

  /** The ids of the words of `text`; over `maxLength` words is refused. */
  encode(text: string | readonly string[], options: EncodeOptions = {}): Int32Array {
    const operation = 'WordTokenizer.encode';
    const words = wordsOf(text, operation);
    const vocabulary = this.vocabulary;
    return tokensToIds(
      words.map((word) => this.prepare(word)),
      vocabulary,
      options.maxLength ?? this.options.maxLength,
      operation,
    );
  }

  /** The words of `ids` (padding dropped by default); an id outside the vocabulary is refused. */
  decode(ids: Tensor | ArrayLike<number>, options: DecodeOptions = {}): string[] {
    return idsToTokens(ids, this.vocabulary, options, 'WordTokenizer.decode');
  }

  /** The vocabulary as JSON. */
  toJSON(): VocabularyState {
    return this.vocabulary.toJSON();
  }

  private prepare(word: string): string {
    return this.options.lowercase ? word.toLowerCase() : word;
  }
}
