import type { BrownDocument } from './brown-corpus.js';

/**
 * The character text of Brown for language modelling, split for training and validation.
 *
 * @example
 * const { train, validation } = brownCharacterText(readBrownCorpus());
 */
export interface BrownCharacterText {
  /** The whole text. */
  readonly text: string;
  /** Its first 90 % of characters. */
  readonly train: string;
  /** Its last 10 % of characters. */
  readonly validation: string;
}

/**
 * The corpus as plain text, the way the tiny-GPT task reads it: each token's `/tag` stripped
 * (the words as written), the tokens of a document joined with single spaces (sentences too),
 * the documents (file-name order) joined with newlines; the first 90 % of the characters
 * (`Math.floor(0.9 · length)` UTF-16 units; the text is ASCII) for training, the last 10 % for
 * validation, as nanoGPT's `shakespeare_char` preparation does.
 *
 * @example
 * brownCharacterText(readBrownCorpus()).text.slice(0, 27); // 'The Fulton County Grand Jur'
 */
export function brownCharacterText(documents: readonly BrownDocument[]): BrownCharacterText {
  const text = documents
    .map((document) => document.sentences.map((sentence) => sentence.words.join(' ')).join(' '))
    .join('\n');
  const cut = Math.floor(text.length * 0.9);
  return { text, train: text.slice(0, cut), validation: text.slice(cut) };
}
