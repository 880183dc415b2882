import { AnnetError } from '@annet/tensor';
import { checkCountOption } from './token-counts.js';
import { Vocabulary, type TokenizerKind, type VocabularyState } from './vocabulary.js';

/** The options both tokenizers check when they are made. */
interface CountOptions {
  readonly minFrequency?: number;
  readonly maxTokens?: number;
  readonly maxLength?: number;
}

/** Refuses a `minFrequency` below 1, a negative `maxTokens` or a `maxLength` below 1, naming `operation`. */
export function checkTokenizerOptions(options: CountOptions, operation: string): void {
  checkCountOption(options.minFrequency ?? 1, 1, 'minFrequency', operation);
  if (options.maxTokens !== undefined) checkCountOption(options.maxTokens, 0, 'maxTokens', operation);
  if (options.maxLength !== undefined) checkCountOption(options.maxLength, 1, 'maxLength', operation);
}

/** The tokenizer class that loads a vocabulary of each kind, for the error that names the right one. */
const loaderOf: Record<TokenizerKind, string> = { character: 'CharacterTokenizer', word: 'WordTokenizer' };

/** `vocabulary` (or its JSON) checked to belong to a tokenizer of `kind`; another kind's is an INVALID_STATE naming the class that loads it. */
export function vocabularyOfKind(
  vocabulary: Vocabulary | VocabularyState,
  kind: TokenizerKind,
  operation: string,
): Vocabulary {
  const loaded = vocabulary instanceof Vocabulary ? vocabulary : Vocabulary.fromJSON(vocabulary, { tokenizer: kind });
  if (loaded.tokenizer !== kind) {
    throw new AnnetError(
      'INVALID_STATE',
      operation,
      `the vocabulary belongs to a ${loaded.tokenizer} tokenizer, not a ${kind} tokenizer; load it with the ${loaderOf[loaded.tokenizer]}`,
    );
  }
  return loaded;
}
