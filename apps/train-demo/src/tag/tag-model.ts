import { Bidirectional, Dense, Dropout, Embedding, LSTM, softmaxCrossEntropy, type LossFunction } from '@annet/layers';
import { Sequential } from '@annet/model';
import type { TagSettings } from './tag-settings.js';
import { ignoredLabel } from './tag-predictions.js';

/**
 * The tagger: word ids `[batch, time]` → an embedding per word (id 0, padding, masked:
 * `maskZero`) → a bidirectional LSTM whose two directions' outputs are concatenated at every
 * step (the backward direction starts at each sentence's own last word) → dropout → a dense
 * layer to one logit per tag, `[batch, time, tags]`.
 *
 * @example
 * const model = buildTagger(settings, 24_000, 190).initialize(42);
 */
export function buildTagger(settings: TagSettings, words: number, tags: number): Sequential {
  const { embeddingSize, hiddenSize } = settings;
  return new Sequential(
    [
      new Embedding(words, embeddingSize, { maskZero: true }),
      new Bidirectional(new LSTM(embeddingSize, hiddenSize, { returnSequences: true })),
      new Dropout(settings.dropout),
      new Dense(2 * hiddenSize, tags),
    ],
    { name: 'tagger' },
  );
}

/**
 * Softmax cross-entropy over `[batch, time, tags]` that skips padded steps (labels −100).
 *
 * @example
 * await model.fit(loader, { optimizer: new AdamW(), loss: taggingLoss, epochs: 3 });
 */
export const taggingLoss: LossFunction = (predictions, targets, options) =>
  softmaxCrossEntropy(predictions, targets, { ...options, ignoreIndex: ignoredLabel });

/**
 * How the report names the tagger.
 *
 * @example
 * taggerTitle(settings); // 'BiLSTM tagger (embedding 64, 2×64 LSTM units)'
 */
export function taggerTitle(settings: TagSettings): string {
  return `BiLSTM tagger (word embedding ${settings.embeddingSize}, 2×${settings.hiddenSize} LSTM units)`;
}
