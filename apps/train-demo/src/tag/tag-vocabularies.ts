import { Vocabulary, WordTokenizer } from '@annet/dataset';
import type { TaggedSentence } from '../text/brown-corpus.js';
import { allWordSignatures, wordSignature } from './word-signature.js';

/**
 * The two vocabularies of the tagger: words (case kept; id 0 padding, then the training words
 * seen at least `minFrequency` times, most frequent first, then every unknown-word signature)
 * and tags (every tag of the corpus in code-unit order, no reserved ids: tag `k` is class `k`).
 *
 * @example
 * const { words, tags } = buildTagVocabularies(trainSentences, ['at', 'nn', 'vbd'], 2);
 */
export interface TagVocabularies {
  readonly words: Vocabulary;
  readonly tags: Vocabulary;
}

/**
 * Builds the vocabularies from the training sentences only (the held-out documents' words stay
 * unknown, as they would be for new text), with `minFrequency` 2 so that words seen once train
 * the signatures the held-out unknown words will get.
 *
 * @example
 * buildTagVocabularies(trainSentences, ['at', 'nn', 'vbd'], 2).words.size;
 */
export function buildTagVocabularies(
  train: readonly TaggedSentence[],
  tagSet: readonly string[],
  minFrequency: number,
): TagVocabularies {
  const counted = new WordTokenizer({ minFrequency, padding: false, unknown: false }).fit(
    train.map((sentence) => sentence.words),
  );
  const words = new Vocabulary([...counted.vocabulary.tokens, ...allWordSignatures()], {
    tokenizer: 'word',
    padding: true,
    unknown: false,
  });
  const tags = new Vocabulary(
    [...tagSet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    { tokenizer: 'word', padding: false, unknown: false },
  );
  return { words, tags };
}

/**
 * The word ids of a sentence: a word's own id, or its signature's when it has none.
 *
 * @example
 * encodeWords(words, ['The', 'Sprayberry', 'jury']); // Int32Array [the id, the id of '<unk:Cap-y>', …]
 */
export function encodeWords(words: Vocabulary, sentence: readonly string[]): Int32Array {
  const ids = new Int32Array(sentence.length);
  for (let position = 0; position < sentence.length; position++) {
    const word = sentence[position];
    ids[position] = words.has(word) ? words.idOf(word) : words.idOf(wordSignature(word));
  }
  return ids;
}
