import { Tensor } from '@annet/tensor';
import { expect, it } from 'vitest';
import {
  ArrayDataset,
  BucketSampler,
  CharacterTokenizer,
  DataLoader,
  RandomSampler,
  SlidingWindowDataset,
  WordTokenizer,
  paddedCollate,
} from '../index.js';

// The README's "Text data" example, line for line, with its comments checked.
it('runs the README text example', () => {
  const corpus = ['The cat sat on the mat', 'the dog sat', 'a cat ran'];
  const words = new WordTokenizer({ lowercase: true, minFrequency: 2 }).fit(corpus);
  // Counts: the 3, cat 2, sat 2 (ties in code-unit order: cat before sat), the rest once.
  expect(words.vocabulary.tokens).toEqual(['<pad>', '<unk>', 'the', 'cat', 'sat']);
  expect(Array.from(words.encode('The cat ran'))).toEqual([2, 3, 1]);
  expect(words.decode([2, 3, 1])).toEqual(['the', 'cat', '<unk>']);

  const saved = JSON.stringify(words.toJSON());
  const loaded = WordTokenizer.fromVocabulary(JSON.parse(saved));
  expect(() => CharacterTokenizer.fromVocabulary(JSON.parse(saved))).toThrow(/belongs to a word tokenizer/);

  const sentences = corpus.map((text) => ({
    input: loaded.encode(text),
    target: Int32Array.from(text.split(' '), (word) => word.length % 3),
  }));
  const lengths = sentences.map((sentence) => sentence.input.length);
  const loader = new DataLoader(new ArrayDataset(sentences), {
    batchSize: 2,
    sampler: new BucketSampler(lengths, { batchSize: 2 }),
    collate: paddedCollate({ maxLength: 64 }),
    seed: 1,
  });
  let seen = 0;
  for (const { inputs, targets, lengths: batchLengths, mask } of loader) {
    const time = Math.max(...(batchLengths.toArray() as number[]));
    expect((inputs as Tensor).shape).toEqual([batchLengths.shape[0], time]);
    expect(targets.shape).toEqual([batchLengths.shape[0], time]);
    expect(mask.shape).toEqual([batchLengths.shape[0], time]);
    seen += batchLengths.shape[0];
  }
  expect(seen).toBe(3);

  const characters = new CharacterTokenizer({ padding: false, unknown: false }).fit('to be or not to be');
  const windows = new SlidingWindowDataset(characters.encode('to be or not to be'), { blockSize: 8 });
  const batches = new DataLoader(windows, {
    batchSize: 4,
    sampler: new RandomSampler({ replacement: true, numSamples: 4 * 100 }),
    seed: 7,
  });
  let count = 0;
  for (const { inputs, targets } of batches) {
    expect([inputs.dtype, inputs.shape, targets.shape]).toEqual(['int32', [4, 8], [4, 8]]);
    const x = inputs.toArray() as number[][];
    const y = targets.toArray() as number[][];
    for (let row = 0; row < 4; row++) expect(y[row].slice(0, 7)).toEqual(x[row].slice(1));
    count++;
  }
  expect(count).toBe(100);
});
