import { CharacterTokenizer, DataLoader, RandomSampler, SlidingWindowDataset } from '@annet/dataset';
import { AdamW } from '@annet/optimizers';
import { expect, it } from 'vitest';
import { generate, gptModel } from '../index.js';

// The README's GPT example, line for line.
it('runs the README GPT example: a tiny GPT learns a repeated sentence and continues it greedily', async () => {
  const text = 'the cat sat on the mat. '.repeat(40);
  const tokenizer = new CharacterTokenizer({ padding: false, unknown: false }).fit(text);
  const windows = new SlidingWindowDataset(tokenizer.encode(text), { blockSize: 16 });
  const loader = new DataLoader(windows, {
    batchSize: 8,
    sampler: new RandomSampler({ replacement: true, numSamples: 8 * 50 }),
    seed: 1,
  });
  const model = gptModel({
    vocabularySize: tokenizer.vocabulary.size,
    blockSize: 16,
    embeddingSize: 32,
    numLayers: 1,
    numHeads: 2,
  }).initialize(1);
  const history = await model.fit(loader, {
    optimizer: new AdamW({ learningRate: 3e-3 }),
    loss: 'softmaxCrossEntropy',
    epochs: 4,
    gradientClipNorm: 1,
  });
  const continuation = generate(model, tokenizer.encode('the c'), { maxTokens: 20, temperature: 0 });
  expect(history.last()!.loss).toBeLessThan(1);
  expect('the c' + tokenizer.decode(continuation)).toMatch(/^the cat sat on the mat/);
}, 120_000);
