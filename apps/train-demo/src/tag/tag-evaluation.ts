import type { Vocabulary } from '@annet/dataset';
import type { Sequential } from '@annet/model';
import type { MostFrequentTag } from './most-frequent-tag.js';
import type { TagPart } from './tag-data.js';
import { predictTags } from './tag-predictions.js';

/**
 * One cell of the confusion summary: how often a true tag was predicted as another.
 *
 * @example
 * const cell: ConfusedPair = { expected: 'jj', predicted: 'nn', count: 212 };
 */
export interface ConfusedPair {
  readonly expected: string;
  readonly predicted: string;
  readonly count: number;
}

/**
 * A tagger's figures on one held-out part, beside the most-frequent-tag baseline on the same tokens.
 *
 * @example
 * const { accuracy, baselineAccuracy, mostConfused } = evaluateTagger(model, data.test, data.baseline, tags);
 */
export interface TagEvaluation {
  readonly sentences: number;
  readonly tokens: number;
  /** Token accuracy of the tagger. */
  readonly accuracy: number;
  /** Token accuracy of the most-frequent-tag baseline on the same tokens. */
  readonly baselineAccuracy: number;
  /** Fraction of tokens whose word was never seen in training. */
  readonly unknownRate: number;
  /** The tagger's accuracy on words seen in training, and on the others. */
  readonly knownWordAccuracy: number;
  readonly unknownWordAccuracy: number;
  /** The most frequent errors, most frequent first (ties by tag names). */
  readonly mostConfused: readonly ConfusedPair[];
}

/**
 * Tags every sentence of `part` and counts: token accuracy (overall, on words seen and unseen in
 * training), the baseline's accuracy on the same tokens, and the `top` most frequent
 * (true tag, predicted tag) errors.
 *
 * @example
 * evaluateTagger(model, data.test, data.baseline, data.vocabularies.tags).accuracy; // 0.96
 */
export function evaluateTagger(
  model: Sequential,
  part: TagPart,
  baseline: MostFrequentTag,
  tags: Vocabulary,
  top = 10,
): TagEvaluation {
  const predicted = predictTags(model, part.samples);
  let right = 0;
  let baselineRight = 0;
  let unknown = 0;
  let unknownRight = 0;
  const errors = new Map<string, number>();
  part.sentences.forEach((sentence, index) => {
    sentence.words.forEach((word, position) => {
      const expected = sentence.tags[position];
      const guess = tags.tokenOf(predicted[index][position]);
      const known = baseline.knows(word);
      if (!known) unknown++;
      if (guess === expected) {
        right++;
        if (!known) unknownRight++;
      } else {
        const key = `${expected}\u0000${guess}`;
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
      if (baseline.tagOf(word) === expected) baselineRight++;
    });
  });
  const tokens = part.tokens;
  const mostConfused = [...errors]
    .map(([key, count]) => ({ expected: key.split('\u0000')[0], predicted: key.split('\u0000')[1], count }))
    .sort((a, b) => b.count - a.count || (a.expected + a.predicted < b.expected + b.predicted ? -1 : 1))
    .slice(0, top);
  return {
    sentences: part.sentences.length,
    tokens,
    accuracy: right / tokens,
    baselineAccuracy: baselineRight / tokens,
    unknownRate: unknown / tokens,
    knownWordAccuracy: (right - unknownRight) / (tokens - unknown),
    unknownWordAccuracy: unknown === 0 ? Number.NaN : unknownRight / unknown,
    mostConfused,
  };
}
