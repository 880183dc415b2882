import { createRng, tensor, type Tensor } from '@annet/tensor';
import { expect, it } from 'vitest';
import { Bidirectional, Dense, Embedding, LSTM, softmaxCrossEntropy } from '../index.js';

// The README's "Recurrent layers and masks" example, line for line (the console.log replaced by a record).
it('runs the README tagger example: padded sequences, Bidirectional LSTM, masked loss, and the loss falls', () => {
  const losses: number[] = [];
  const rng = createRng(1);
  // Tag each token with the token before it (0 for the first): needs memory of the past.
  // Index 0 pads; padded positions get the label -1, which the loss ignores.
  const sentences = [
    [3, 1, 4, 1],
    [2, 2],
    [4, 3, 2],
    [1, 4, 2, 3],
  ];
  const time = 4;
  const ids = tensor(
    sentences.map((s) => [...s, ...Array(time - s.length).fill(0)]),
    { dtype: 'int32' },
  );
  const tags = tensor(
    sentences.map((s) => [...s.map((_, t) => (t === 0 ? 0 : s[t - 1])), ...Array(time - s.length).fill(-1)]),
    { dtype: 'int32' },
  );

  const layers = [
    new Embedding(5, 8, { maskZero: true, paddingIndex: 0, rng }),
    new Bidirectional(new LSTM(8, 16, { returnSequences: true }), { rng }), // [4, 4, 32]
    new Dense(32, 5, { rng }),
  ];
  for (let step = 0; step <= 200; step++) {
    let activation: Tensor = ids;
    for (const layer of layers) activation = layer.forward(activation, { training: true });
    const { loss, gradient } = softmaxCrossEntropy(activation, tags, { ignoreIndex: -1 });
    let upstream = gradient;
    for (const layer of [...layers].reverse()) upstream = layer.backward(upstream);
    for (const { value, grad } of layers.flatMap((layer) => layer.parameters())) {
      for (let i = 0; i < value.length; i++) value[i] -= 0.5 * grad[i];
    }
    if (step % 50 === 0) losses.push(loss);
  }
  expect(losses).toHaveLength(5);
  expect(losses[0]).toBeGreaterThan(1.4);
  expect(losses[4]).toBeLessThan(0.1);
});
