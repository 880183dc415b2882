import { AnnetError, Tensor } from '@annet/tensor';
import { buildTokenList } from './token-counts.js';
import { checkTokenizerOptions, vocabularyOfKind } from './tokenizer-setup.js';
import { idsToTokens, tokensToIds, type DecodeOptions, type EncodeOptions } from './token-ids.js';
import { Vocabulary, type VocabularyState } from './vocabulary.js';

/**
 * Options of {@link CharacterTokenizer}.
 *
 * @example
 * new CharacterTokenizer({ lowercase: true, minFrequency: 5, padding: false });
 */
export interface CharacterTokenizerOptions {
  /** Lowercase the text before fitting and encoding (default false). */
  readonly lowercase?: boolean;
  /** Give an id only to characters seen at least this often in `fit` (default 1). */
  readonly minFrequency?: number;
  /** Keep at most this many characters, the most frequent (default all). */
  readonly maxTokens?: number;
  /** Reserve id 0 for padding (default true). */
  readonly padding?: boolean;
  /** Reserve an id for unseen characters (default true); without it, encoding one is an error. */
  readonly unknown?: boolean;
  /** Refuse to encode a text longer than this many characters (default: no limit). */
  readonly maxLength?: number;
}

/**
 * Splits text into characters (Unicode code points, so a surrogate pair is one token) and maps
 * them to ids. `fit` builds the vocabulary: the characters seen at least `minFrequency` times,
 * in code-unit order (JavaScript's default sort) after the reserved ids (as nanoGPT's `sorted(set(text))`). With
 * `padding: false, unknown: false` the ids are exactly nanoGPT's.
 *
 * @example
 * const tokenizer = new CharacterTokenizer().fit(['hello world']);
 * const ids = tokenizer.encode('hold');   // Int32Array [5, 7, 6, 3] (' ' is 2, 'd' 3, 'e' 4, 'h' 5…)
 * tokenizer.decode(ids);                  // 'hold'
 * tokenizer.encode('hi!');                // 'i' and '!' were never seen: the unknown id 1
 */
export class CharacterTokenizer {
  private readonly options: CharacterTokenizerOptions;
  private fitted: Vocabulary | null = null;

  constructor(options: CharacterTokenizerOptions = {}) {
    checkTokenizerOptions(options, 'CharacterTokenizer');
    this.options = { ...options };
  }

  /** A tokenizer using a saved vocabulary; a vocabulary of another tokenizer kind is refused. */
  static fromVocabulary(
    vocabulary: Vocabulary | VocabularyState,
    options: { readonly maxLength?: number } = {},
  ): CharacterTokenizer {
    const loaded = vocabularyOfKind(vocabulary, 'character', 'CharacterTokenizer.fromVocabulary');
    const tokenizer = new CharacterTokenizer({ lowercase: loaded.lowercase, maxLength: options.maxLength });
    tokenizer.fitted = loaded;
    return tokenizer;
  }

  /** The vocabulary (after `fit` or `fromVocabulary`). */
  get vocabulary(): Vocabulary {
    if (this.fitted === null)
      throw new AnnetError(
        'INVALID_STATE',
        'CharacterTokenizer',
        'the tokenizer has no vocabulary yet; call fit(texts) or use CharacterTokenizer.fromVocabulary(saved)',
      );
    return this.fitted;
  }

  /** Builds the vocabulary from `texts` (a string or several), replacing any earlier one. */
  fit(texts: string | Iterable<string>): this {
    const counts = new Map<string, number>();
    for (const text of typeof texts === 'string' ? [texts] : texts) {
      if (typeof text !== 'string')
        throw new AnnetError(
          'INVALID_ARGUMENT',
          'CharacterTokenizer.fit',
          `expected strings, got ${Object.prototype.toString.call(text)}`,
        );
      for (const character of this.prepare(text)) counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    const tokens = buildTokenList(
      counts,
      { minFrequency: this.options.minFrequency, maxTokens: this.options.maxTokens, order: 'sorted' },
      'CharacterTokenizer.fit',
    );
    this.fitted = new Vocabulary(tokens, {
      tokenizer: 'character',
      lowercase: this.options.lowercase,
      padding: this.options.padding,
      unknown: this.options.unknown,
    });
    return this;
  }

  /** The ids of the characters of `text`; over `maxLength` characters is refused. */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const operation = 'CharacterTokenizer.encode';
    if (typeof text !== 'string')
      throw new AnnetError(
        'INVALID_ARGUMENT',
        operation,
        `expected a string, got ${Object.prototype.toString.call(text)}`,
      );
    return tokensToIds(
      Array.from(this.prepare(text)),
      this.vocabulary,
      options.maxLength ?? this.options.maxLength,
      operation,
    );
  }

  /** The text of `ids` (padding dropped by default); an id outside the vocabulary is refused. */
  decode(ids: Tensor | ArrayLike<number>, options: DecodeOptions = {}): string {
    return idsToTokens(ids, this.vocabulary, options, 'CharacterTokenizer.decode').join('');
  }

  /** The vocabulary as JSON. */
  toJSON(): VocabularyState {
    return this.vocabulary.toJSON();
  }

  private prepare(text: string): string {
    return this.options.lowercase ? text.toLowerCase() : text;
  }
}
