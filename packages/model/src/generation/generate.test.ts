import { AnnetError, createRng, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { gptModel } from '../transformer/gpt.js';
import { generate } from './generate.js';
import { sampleToken } from './sample-token.js';

const model = gptModel({ vocabularySize: 11, blockSize: 6, embeddingSize: 8, numLayers: 1, numHeads: 2 }).initialize(5);
// Larger weights than GPT-2's 0.02 so the logits differ visibly between tokens.
for (const parameter of model.parameters())
  for (let index = 0; index < parameter.value.length; index++)
    parameter.value[index] += 0.5 * Math.sin(3 * index + parameter.value.length);

/** Reference: the argmax of the last position, from the whole block right-padded with zeros (a causal model ignores later positions). */
function greedyReference(prompt: number[], steps: number): number[] {
  const context = prompt.slice();
  const out: number[] = [];
  for (let step = 0; step < steps; step++) {
    const window = context.slice(-6);
    const padded = Int32Array.from({ length: 6 }, (_, index) => window[index] ?? 0);
    const logits = model.forwardArrays([new Tensor(padded, [1, 6])], false)[0].contiguous();
    const row = Array.from(logits.data.subarray((window.length - 1) * 11, window.length * 11) as Float32Array);
    const next = row.indexOf(Math.max(...row));
    out.push(next);
    context.push(next);
  }
  return out;
}

describe('generate', () => {
  it('greedy at temperature 0: the argmax of the last position, the window cropped to the block (against a padded full-block reference)', () => {
    const prompt = [3, 1, 4];
    expect(Array.from(generate(model, prompt, { maxTokens: 9, temperature: 0 }))).toEqual(greedyReference(prompt, 9));
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const options = { maxTokens: 30, temperature: 1.5, seed: 7 };
    const first = Array.from(generate(model, [2], options));
    expect(Array.from(generate(model, [2], options))).toEqual(first);
    expect(Array.from(generate(model, [2], { ...options, seed: 8 }))).not.toEqual(first);
  });

  it('topK 1 is greedy at any temperature', () => {
    expect(Array.from(generate(model, [5, 9], { maxTokens: 8, temperature: 2, topK: 1, seed: 3 }))).toEqual(
      greedyReference([5, 9], 8),
    );
  });

  it('refuses a prompt longer than the block, an id outside the vocabulary, topK <= 0 and a negative temperature, naming them', () => {
    expect(() => generate(model, [1, 2, 3, 4, 5, 6, 7], { maxTokens: 1 })).toThrow(
      "generate: the prompt has 7 tokens but the model's block size is 6; pass at most the last 6 tokens",
    );
    expect(() => generate(model, [1, 11], { maxTokens: 1 })).toThrow(
      'generate: prompt token 11 at position 1 is outside the vocabulary [0, 11)',
    );
    expect(() => generate(model, [1], { maxTokens: 1, topK: 0 })).toThrow(/topK must be an integer >= 1/);
    expect(() => generate(model, [1], { maxTokens: 1, temperature: -1 })).toThrow(
      /temperature must be a finite number >= 0/,
    );
    expect(() => generate(model, [], { maxTokens: 1 })).toThrow(AnnetError);
  });
});

describe('sampleToken', () => {
  it('draws each token with its softmax probability at temperature 1 (20,000 draws within 5 standard errors)', () => {
    const logits = Float64Array.from([1, 0, 2, -1]);
    const weights = Array.from(logits, (value) => Math.exp(value));
    const total = weights.reduce((sum, value) => sum + value, 0);
    const counts = [0, 0, 0, 0];
    const rng = createRng(1);
    const scratch = new Float64Array(4);
    for (let draw = 0; draw < 20_000; draw++) counts[sampleToken(logits, 0, 4, 1, 4, rng, scratch)]++;
    weights.forEach((weight, index) => {
      const p = weight / total;
      expect(Math.abs(counts[index] / 20_000 - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / 20_000));
    });
  });

  it('never draws outside the top k', () => {
    const logits = Float64Array.from([0.5, 3, 0.1, 2.9, -4]);
    const rng = createRng(2);
    const scratch = new Float64Array(5);
    for (let draw = 0; draw < 2_000; draw++) expect([1, 3]).toContain(sampleToken(logits, 0, 5, 5, 2, rng, scratch));
  });
});
