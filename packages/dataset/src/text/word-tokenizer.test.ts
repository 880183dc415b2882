import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordTokenizer } from './word-tokenizer.js';

/** Naive reference: count, keep ≥ minFrequency, order by count descending then code units, ids from 2. */
function naiveWordIds(sentences: string[][], minFrequency: number, lowercase: boolean): Map<string, number> {
  const counts: Record<string, number> = Object.create(null);
  for (const sentence of sentences)
    for (const word of sentence) {
      const key = lowercase ? word.toLowerCase() : word;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  const kept = Object.keys(counts).filter((word) => counts[word] >= minFrequency);
  kept.sort((a, b) => (counts[b] !== counts[a] ? counts[b] - counts[a] : a < b ? -1 : a > b ? 1 : 0));
  return new Map(kept.map((word, index) => [word, index + 2]));
}

const word = fc.constantFrom('the', 'The', 'cat', 'CAT', 'sat', 'on', 'a', 'mat', 'dog', 'ran');

describe('WordTokenizer', () => {
  it('numbers words by frequency as a hand count says', () => {
    // lowercased: the ×2, cat 1, dog 1, sat 1 → the 2, then ties in code-unit order: cat 3, dog 4, sat 5.
    const tokenizer = new WordTokenizer({ lowercase: true }).fit(['The cat sat', 'the dog']);
    expect(tokenizer.vocabulary.tokens).toEqual(['<pad>', '<unk>', 'the', 'cat', 'dog', 'sat']);
    expect(Array.from(tokenizer.encode('The dog barked'))).toEqual([2, 4, 1]);
    expect(tokenizer.decode([2, 4, 1, 0])).toEqual(['the', 'dog', '<unk>']);
  });

  it('gives the ids of a naive count for any corpus, minimum frequency and case option', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { maxLength: 8 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (sentences, minFrequency, lowercase) => {
          const tokenizer = new WordTokenizer({ minFrequency, lowercase }).fit(sentences);
          const expected = naiveWordIds(sentences, minFrequency, lowercase);
          expect(tokenizer.vocabulary.size).toBe(expected.size + 2);
          for (const sentence of sentences) {
            const ids = Array.from(tokenizer.encode(sentence));
            expect(ids).toEqual(sentence.map((w) => expected.get(lowercase ? w.toLowerCase() : w) ?? 1));
            const decoded = tokenizer.decode(ids);
            expect(decoded).toEqual(
              sentence.map((w) =>
                expected.has(lowercase ? w.toLowerCase() : w) ? (lowercase ? w.toLowerCase() : w) : '<unk>',
              ),
            );
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps the maxTokens most frequent words and splits strings at white space', () => {
    const tokenizer = new WordTokenizer({ maxTokens: 2 }).fit([['b', 'a', 'b', 'c', 'c', 'c']]);
    expect(tokenizer.vocabulary.tokens.slice(2)).toEqual(['c', 'b']);
    expect(Array.from(tokenizer.encode('  c\ta\nb '))).toEqual([2, 1, 3]);
  });

  it('round-trips its vocabulary (lowercasing included) and refuses a character vocabulary', () => {
    const tokenizer = new WordTokenizer({ lowercase: true, minFrequency: 1 }).fit([['A', 'b']]);
    const loaded = WordTokenizer.fromVocabulary(JSON.parse(JSON.stringify(tokenizer.toJSON())));
    expect(Array.from(loaded.encode(['a', 'B', 'c']))).toEqual([2, 3, 1]);
    const characters = {
      format: 'annet.vocabulary',
      version: 1,
      tokenizer: 'character',
      lowercase: false,
      padding: true,
      unknown: true,
      tokens: ['a'],
    };
    expect(() => WordTokenizer.fromVocabulary(characters as never)).toThrow(
      /belongs to a character tokenizer, not a word tokenizer/,
    );
  });

  it('refuses a sequence over maxLength, ids outside the vocabulary and non-string words', () => {
    const tokenizer = new WordTokenizer({ maxLength: 2 }).fit([['a']]);
    expect(() => tokenizer.encode(['a', 'a', 'a'])).toThrow(
      'WordTokenizer.encode: the sequence has 3 tokens, more than the maximum of 2; split or truncate it, or raise maxLength',
    );
    expect(() => tokenizer.decode(Int32Array.from([7]))).toThrow(
      /token id 7 at position 0 is outside the vocabulary's range \[0, 3\)/,
    );
    expect(() => tokenizer.encode([1 as never])).toThrow(/word 0 is \[object Number\], expected a string/);
    expect(() => tokenizer.fit('a b' as never)).toThrow(/got one string; wrap it in an array/);
  });
});
