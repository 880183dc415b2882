import {
  Bidirectional,
  Dense,
  Embedding,
  GRU,
  LSTM,
  MultiHeadAttention,
  SequenceMask,
  SimpleRNN,
  SinusoidalPositionalEncoding,
  Softmax,
} from '@annet/layers';
import { apply, gptModel, input, Model, Sequential } from '@annet/model';
import { AnnetError } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { randomInput, randomTokens } from '../testing/model-zoo.js';
import { maxAbsDifference, runInOnnxRuntime, spread } from '../testing/onnx-runtime.js';
import { exportOnnx } from './export-onnx.js';
import { inspectOnnx } from './inspect-onnx.js';

const tolerance = 1e-5;

async function worst(
  model: Sequential | Model,
  inputs: Record<string, import('@annet/tensor').Tensor>,
): Promise<number> {
  const results = await runInOnnxRuntime(exportOnnx(model), inputs);
  const expected = model instanceof Model ? model.predictNamed(inputs) : { output: model.predict(inputs.input) };
  let difference = 0;
  for (const [name, tensor] of Object.entries(expected)) {
    expect(results[name].dims, name).toEqual(tensor.shape);
    expect(spread(tensor.data)).toBeGreaterThan(1e-3);
    difference = Math.max(difference, maxAbsDifference(results[name].data, tensor.data));
  }
  return difference;
}

describe('exportOnnx of recurrent and attention layers, checked in onnxruntime-node', () => {
  it.each([
    ['LSTM', () => new LSTM(4, 5, { returnSequences: true })],
    ['LSTM (last state, reverse)', () => new LSTM(4, 5, { reverse: true })],
    ['GRU', () => new GRU(4, 5, { returnSequences: true })],
    ['GRU (last state)', () => new GRU(4, 5)],
    ['SimpleRNN (relu)', () => new SimpleRNN(4, 5, { returnSequences: true, activation: 'relu' })],
    ['SimpleRNN (tanh, last state)', () => new SimpleRNN(4, 5)],
    ['Bidirectional LSTM (concat)', () => new Bidirectional(new LSTM(4, 5, { returnSequences: true }))],
    ['Bidirectional GRU (sum, last)', () => new Bidirectional(new GRU(4, 5), { merge: 'sum' })],
    [
      'Bidirectional LSTM (average)',
      () => new Bidirectional(new LSTM(4, 5, { returnSequences: true }), { merge: 'average' }),
    ],
    [
      'Bidirectional SimpleRNN (multiply)',
      () => new Bidirectional(new SimpleRNN(4, 5, { returnSequences: true }), { merge: 'multiply' }),
    ],
  ])("%s: ONNX gate order (iofc / zrh) from annet's PyTorch order", async (_, build) => {
    const model = new Sequential([build()], { inputShape: [6, 4] }).initialize(3);
    expect(await worst(model, { input: randomInput([3, 6, 4], 4) })).toBeLessThanOrEqual(tolerance);
  });

  it('an LSTM tagger: Embedding → Bidirectional LSTM → Dense → Softmax per token', async () => {
    const model = new Sequential(
      [
        new Embedding(30, 8),
        new Bidirectional(new LSTM(8, 6, { returnSequences: true })),
        new Dense(12, 5),
        new Softmax(),
      ],
      { inputShape: [7] },
    ).initialize(5);
    expect(await worst(model, { input: randomTokens([4, 7], 30, 6) })).toBeLessThanOrEqual(tolerance);
  });

  it('multi-head attention (causal and not), decomposed into MatMul and Softmax, with sinusoidal positions', async () => {
    for (const causal of [false, true]) {
      const x = input({ name: 'x', shape: [5, 8] });
      const attended = apply(
        new MultiHeadAttention(8, { numHeads: 2, causal }),
        apply(new SinusoidalPositionalEncoding(16, 8), x),
      );
      const model = new Model({ inputs: x, outputs: { y: attended } }).initialize(7);
      const bytes = exportOnnx(model);
      expect(inspectOnnx(bytes).operators).toEqual(expect.arrayContaining(['MatMul', 'Softmax']));
      expect(await worst(model, { x: randomInput([3, 5, 8], 8) })).toBeLessThanOrEqual(tolerance);
    }
  });

  it('the baby GPT (gptModel: tied lm_head, learned positions, pre-norm blocks, tanh GELU), its tied table stored once', async () => {
    const model = gptModel({
      vocabularySize: 23,
      blockSize: 8,
      embeddingSize: 16,
      numLayers: 2,
      numHeads: 2,
    }).initialize(9);
    const bytes = exportOnnx(model);
    expect(inspectOnnx(bytes).initializers.filter((name) => name.startsWith('wte.'))).toEqual(['wte.embeddings']);
    expect(await worst(model, { tokens: randomTokens([2, 8], 23, 10) })).toBeLessThanOrEqual(tolerance);
  });

  it('refuses masked sequences (SequenceMask, Embedding maskZero) with a typed error', () => {
    const masked = new Sequential([new Embedding(10, 4, { maskZero: true }), new LSTM(4, 3)], { inputShape: [5] });
    expect(() => exportOnnx(masked)).toThrow(AnnetError);
    expect(() => exportOnnx(masked)).toThrow('Embedding with maskZero');
    const x = input({ name: 'x', shape: [5, 4] });
    const lengths = input({ name: 'lengths', shape: [], dtype: 'int32' });
    const graph = new Model({
      inputs: [x, lengths],
      outputs: { y: apply(new LSTM(4, 3), apply(new SequenceMask(), [x, lengths])) },
    });
    expect(() => exportOnnx(graph)).toThrow('has layers without an ONNX conversion: sequence_mask_1 (SequenceMask)');
  });
});
