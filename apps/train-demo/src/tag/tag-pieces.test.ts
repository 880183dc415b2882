import { Vocabulary } from '@annet/dataset';
import { describe, expect, it } from 'vitest';
import type { TaggedSentence } from '../text/brown-corpus.js';
import { MostFrequentTag } from './most-frequent-tag.js';
import { argmaxRows } from './tag-predictions.js';
import { buildTagVocabularies, encodeWords } from './tag-vocabularies.js';
import { allWordSignatures, wordSignature } from './word-signature.js';

const sentences: TaggedSentence[] = [
  { words: ['The', 'jury', 'said', 'it'], tags: ['at', 'nn', 'vbd', 'pps'] },
  { words: ['the', 'jury', 'will', 'jury'], tags: ['at', 'nn', 'md', 'vb'] },
];

describe("the tagger's pieces", () => {
  it('gives unknown words signatures from their characters', () => {
    const cases: [string, string][] = [
      ['outmoded', '<unk:low-ed>'],
      ['Sprayberry', '<unk:Cap-y>'],
      ['1,450', '<unk:num>'],
      ['--', '<unk:punct>'],
      ['re-elected', '<unk:low-hyph-ed>'],
      ['NATO', '<unk:CAPS>'],
      ['1960s', '<unk:low-digit-s>'],
      ['running', '<unk:low-ing>'],
      ['A', '<unk:Cap>'],
      ['is', '<unk:low>'],
    ];
    for (const [word, signature] of cases) expect([word, wordSignature(word)]).toEqual([word, signature]);
    const all = allWordSignatures();
    expect(new Set(all).size).toBe(all.length);
    for (const [word] of cases) expect(all).toContain(wordSignature(word));
  });

  it('builds the vocabularies from training words only and encodes unknown words as their signatures', () => {
    const { words, tags } = buildTagVocabularies(sentences, ['vbd', 'at', 'nn', 'pps', 'md', 'vb'], 2);
    // Only "jury" is seen twice or more (three times); "The" and "the" are different words (case kept).
    expect(words.tokens.slice(0, 2)).toEqual(['<pad>', 'jury']);
    expect(words.size).toBe(2 + allWordSignatures().length);
    expect(tags.tokens).toEqual(['at', 'md', 'nn', 'pps', 'vb', 'vbd']);
    const ids = encodeWords(words, ['jury', 'Sprayberry', 'jury']);
    expect(Array.from(ids)).toEqual([1, words.idOf('<unk:Cap-y>'), 1]);
    expect(words.tokenizer).toBe('word');
    expect(Vocabulary.fromJSON(JSON.parse(JSON.stringify(words)), { tokenizer: 'word' }).size).toBe(words.size);
  });

  it('computes the most-frequent-tag baseline by hand', () => {
    const baseline = MostFrequentTag.fit(sentences);
    // jury: nn ×2, vb ×1 → nn; overall: nn 2, at 2 → 'at' (ties in code-unit order).
    expect(baseline.tagOf('jury')).toBe('nn');
    expect(baseline.fallback).toBe('at');
    expect(baseline.tagOf('unseen')).toBe('at');
    // Test: jury/vb wrong (nn), said/vbd right, Unseen/at right (fallback), will/md right → 3 of 4.
    expect(baseline.accuracy([{ words: ['jury', 'said', 'Unseen', 'will'], tags: ['vb', 'vbd', 'at', 'md'] }])).toBe(
      0.75,
    );
  });

  it('takes the arg-max of each row, the first on ties', () => {
    // From offset 1: rows [0, 2, 1, 5] (max 5 at 3) and [0, 0, 3, 3] (3 first at 2).
    expect(Array.from(argmaxRows(Float32Array.from([9, 0, 2, 1, 5, 0, 0, 3, 3]), 1, 2, 4))).toEqual([3, 2]);
  });
});
