import type { TaggedSentence } from '../text/brown-corpus.js';

/**
 * The most-frequent-tag baseline: each word gets the tag it had most often in the training
 * sentences (ties: the tag first in code-unit order), and a word never seen in training the tag
 * most frequent over all training tokens. The usual floor a tagger is measured against.
 *
 * @example
 * const baseline = MostFrequentTag.fit(trainSentences);
 * baseline.tagOf('the'); // 'at'
 * baseline.accuracy(testSentences); // ≈ 0.9
 */
export class MostFrequentTag {
  private constructor(
    private readonly byWord: ReadonlyMap<string, string>,
    /** The tag of words not seen in training. */
    readonly fallback: string,
  ) {}

  /** Counts the training sentences' (word, tag) pairs. */
  static fit(sentences: readonly TaggedSentence[]): MostFrequentTag {
    const counts = new Map<string, Map<string, number>>();
    const overall = new Map<string, number>();
    for (const { words, tags } of sentences) {
      for (let position = 0; position < words.length; position++) {
        let perTag = counts.get(words[position]);
        if (perTag === undefined) counts.set(words[position], (perTag = new Map()));
        perTag.set(tags[position], (perTag.get(tags[position]) ?? 0) + 1);
        overall.set(tags[position], (overall.get(tags[position]) ?? 0) + 1);
      }
    }
    const best = (perTag: ReadonlyMap<string, number>) =>
      [...perTag].sort(
        ([tagA, countA], [tagB, countB]) => countB - countA || (tagA < tagB ? -1 : tagA > tagB ? 1 : 0),
      )[0][0];
    const byWord = new Map<string, string>();
    for (const [word, perTag] of counts) byWord.set(word, best(perTag));
    return new MostFrequentTag(byWord, overall.size === 0 ? 'nn' : best(overall));
  }

  /** Whether `word` was seen in training. */
  knows(word: string): boolean {
    return this.byWord.has(word);
  }

  /** The baseline's tag of `word`. */
  tagOf(word: string): string {
    return this.byWord.get(word) ?? this.fallback;
  }

  /** Fraction of the tokens of `sentences` it tags right. */
  accuracy(sentences: readonly TaggedSentence[]): number {
    let right = 0;
    let total = 0;
    for (const { words, tags } of sentences) {
      for (let position = 0; position < words.length; position++) {
        if (this.tagOf(words[position]) === tags[position]) right++;
        total++;
      }
    }
    return total === 0 ? Number.NaN : right / total;
  }
}
