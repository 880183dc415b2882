import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharacterTokenizer } from './character-tokenizer.js';
import { WordTokenizer } from './word-tokenizer.js';

/** Naive reference: reserved ids, then the sorted distinct characters (by code point) seen ≥ minFrequency times. */
function naiveCharacterIds(texts: string[], minFrequency: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts)
    for (const character of Array.from(text)) counts.set(character, (counts.get(character) ?? 0) + 1);
  const kept = [...counts.keys()].filter((character) => counts.get(character)! >= minFrequency).sort();
  return new Map(kept.map((character, index) => [character, index + 2]));
}

describe('CharacterTokenizer', () => {
  it('numbers the characters as a hand count says', () => {
    // 'hello world' holds ' ', d, e, h, l, o, r, w; sorted after <pad> 0 and <unk> 1: ' ' 2, d 3, e 4, h 5, l 6, o 7, r 8, w 9.
    const tokenizer = new CharacterTokenizer().fit(['hello world']);
    expect(Array.from(tokenizer.encode('hold'))).toEqual([5, 7, 6, 3]);
    expect(Array.from(tokenizer.encode('hi!'))).toEqual([5, 1, 1]);
    expect(tokenizer.decode([5, 7, 0, 0])).toBe('ho');
    expect(tokenizer.decode([5, 0], { keepPadding: true })).toBe('h<pad>');
  });

  it('gives the ids of a naive count, and decode(encode(text)) is the text for text it was fitted on', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (texts, minFrequency) => {
          const tokenizer = new CharacterTokenizer({ minFrequency }).fit(texts);
          const expected = naiveCharacterIds(texts, minFrequency);
          for (const text of texts) {
            const ids = Array.from(tokenizer.encode(text));
            expect(ids).toEqual(Array.from(text).map((character) => expected.get(character) ?? 1));
            if (minFrequency === 1) expect(tokenizer.decode(ids)).toBe(text);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('matches nanoGPT ids without reserved tokens: sorted(set(text))', () => {
    const text = 'to be or not to be';
    const tokenizer = new CharacterTokenizer({ padding: false, unknown: false }).fit(text);
    const chars = [...new Set(text)].sort();
    expect(tokenizer.vocabulary.tokens).toEqual(chars);
    expect(Array.from(tokenizer.encode('bet'))).toEqual(['b', 'e', 't'].map((character) => chars.indexOf(character)));
    expect(() => tokenizer.encode('bez')).toThrow(/CharacterTokenizer.encode: "z" is not in the character vocabulary/);
  });

  it('treats a surrogate pair as one character and lowercases when asked', () => {
    const tokenizer = new CharacterTokenizer({ lowercase: true }).fit(['A😀a']);
    expect(tokenizer.vocabulary.tokens.slice(2)).toEqual(['a', '😀']);
    expect(Array.from(tokenizer.encode('😀A'))).toEqual([3, 2]);
  });

  it('round-trips its vocabulary and refuses a word vocabulary', () => {
    const tokenizer = new CharacterTokenizer({ lowercase: true }).fit(['Some Text']);
    const loaded = CharacterTokenizer.fromVocabulary(JSON.parse(JSON.stringify(tokenizer.toJSON())));
    expect(Array.from(loaded.encode('TEXT some'))).toEqual(Array.from(tokenizer.encode('text some')));
    const words = new WordTokenizer().fit(['some text']).toJSON();
    expect(() => CharacterTokenizer.fromVocabulary(words)).toThrow(
      'Vocabulary.fromJSON: the vocabulary belongs to a word tokenizer, not a character tokenizer; load it with the WordTokenizer',
    );
  });

  it('refuses a text over maxLength, an id outside the vocabulary, and use before fit', () => {
    const tokenizer = new CharacterTokenizer({ maxLength: 4 }).fit(['abc']);
    expect(() => tokenizer.encode('abcab')).toThrow(
      'CharacterTokenizer.encode: the sequence has 5 tokens, more than the maximum of 4; split or truncate it, or raise maxLength',
    );
    expect(() => tokenizer.encode('ab', { maxLength: 1 })).toThrow(/more than the maximum of 1/);
    expect(() => tokenizer.decode([2, 5])).toThrow(
      "CharacterTokenizer.decode: token id 5 at position 1 is outside the vocabulary's range [0, 5)",
    );
    expect(() => new CharacterTokenizer().encode('a')).toThrow(/no vocabulary yet/);
    expect(() => new CharacterTokenizer({ minFrequency: 0 })).toThrow(/minFrequency must be an integer >= 1, got 0/);
  });
});
