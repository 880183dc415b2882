import { readFileSync } from 'node:fs';
import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { checkLayerGradients, expectGradientsToMatch, randomInput } from '../testing/gradient-check.js';
import { maskedSoftmax } from './masked-softmax.js';
import { MultiHeadAttention, type AttentionForwardOptions } from './multi-head-attention.js';

interface FixtureCase {
  name: string;
  batch: number;
  time: number;
  embeddingSize: number;
  numHeads: number;
  keySize: number;
  useBias: boolean;
  causal: boolean;
  keyPaddingMask: number[] | null;
  input: number[];
  projection: number[];
  expectedOutput: number[];
  expectedInputGradient: number[];
  [array: string]: unknown;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/torch-attention.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: FixtureCase[];
};

/** A layer over `input` with a key-padding mask passed on every forward (as the gradient checker calls it). */
function withMask(layer: MultiHeadAttention, mask: Tensor): MultiHeadAttention {
  const forward = layer.forward.bind(layer);
  layer.forward = (input: Tensor, options?: AttentionForwardOptions) =>
    forward(input, { training: options?.training ?? false, keyPaddingMask: mask });
  return layer;
}

describe('MultiHeadAttention', () => {
  for (const testCase of fixtures.cases) {
    it(`equals PyTorch ${fixtures.torch}: ${testCase.name} (output and every gradient)`, () => {
      const { batch, time, embeddingSize } = testCase;
      const layer = new MultiHeadAttention(embeddingSize, {
        numHeads: testCase.numHeads,
        keySize: testCase.keySize,
        useBias: testCase.useBias,
        causal: testCase.causal,
        dtype: 'float64',
      });
      for (const parameter of layer.parameters())
        parameter.value.set(testCase[parameter.name.split('.')[1]] as number[]);
      const mask =
        testCase.keyPaddingMask === null
          ? undefined
          : new Tensor(Int32Array.from(testCase.keyPaddingMask), [batch, time]);
      const output = layer.forward(new Tensor(Float64Array.from(testCase.input), [batch, time, embeddingSize]), {
        training: true,
        keyPaddingMask: mask,
      });
      expectClose(output.data, testCase.expectedOutput, 1e-12);
      const inputGradient = layer.backward(
        new Tensor(Float64Array.from(testCase.projection), [batch, time, embeddingSize]),
      );
      expectClose(inputGradient.data, testCase.expectedInputGradient, 1e-12);
      for (const parameter of layer.parameters()) {
        const local = parameter.name.split('.')[1];
        expectClose(
          parameter.grad,
          testCase[`expected${local[0].toUpperCase()}${local.slice(1)}Gradient`] as number[],
          1e-12,
        );
      }
    });
  }

  const settings = [
    { name: 'plain', options: {} },
    { name: 'causal', options: { causal: true } },
    { name: 'causal, no bias, keySize 3 (hd != embedding)', options: { causal: true, useBias: false, keySize: 3 } },
    { name: 'attention dropout 0.3 (mask held by getState/setState)', options: { dropout: 0.3, seed: 5 } },
  ];
  for (const { name, options } of settings) {
    it(`backward matches float64 central differences for the input and every parameter: ${name}`, () => {
      const layer = new MultiHeadAttention(4, { numHeads: 2, dtype: 'float64', seed: 3, ...options });
      expectGradientsToMatch(checkLayerGradients(layer, randomInput([2, 5, 4], 11)), 1e-6);
    });
  }

  it('backward matches central differences with a key-padding mask (padded keys get no gradient through attention)', () => {
    const mask = tensor(
      [
        [0, 0, 0, 1, 1],
        [0, 1, 0, 0, 0],
      ],
      { dtype: 'int32' },
    );
    const layer = withMask(new MultiHeadAttention(4, { numHeads: 2, dtype: 'float64', seed: 1, causal: true }), mask);
    expectGradientsToMatch(checkLayerGradients(layer, randomInput([2, 5, 4], 12)), 1e-6);
  });

  it('a causal layer: changing a later time step leaves earlier outputs unchanged', () => {
    const layer = new MultiHeadAttention(4, { numHeads: 2, dtype: 'float64', causal: true, seed: 2 });
    const x = randomInput([1, 6, 4], 3);
    const before = Array.from(layer.forward(x).data);
    x.data[4 * 4 + 1] += 10; // time step 4
    const after = Array.from(layer.forward(x).data);
    expect(after.slice(0, 16)).toEqual(before.slice(0, 16));
    expect(after.slice(16, 20)).not.toEqual(before.slice(16, 20));
  });

  it('a key-padding mask: changing a padded key leaves every output unchanged', () => {
    const layer = new MultiHeadAttention(4, { numHeads: 1, dtype: 'float64', seed: 2 });
    const mask = tensor([[0, 0, 1]], { dtype: 'int32' });
    const x = randomInput([1, 3, 4], 3);
    const before = Array.from(layer.forward(x, { training: false, keyPaddingMask: mask }).data);
    for (let feature = 0; feature < 4; feature++) x.data[8 + feature] += 5;
    const after = Array.from(layer.forward(x, { training: false, keyPaddingMask: mask }).data);
    expect(after.slice(0, 8)).toEqual(before.slice(0, 8));
  });

  it('a fully masked query row gives zero attention (output = the output bias), or an error when asked', () => {
    const layer = new MultiHeadAttention(2, { numHeads: 1, dtype: 'float64', seed: 4 });
    layer.parameters()[3].value.set([0.5, -0.25]);
    const mask = tensor([[1, 1]], { dtype: 'int32' });
    const output = layer.forward(randomInput([1, 2, 2], 1), { training: false, keyPaddingMask: mask });
    expect(Array.from(output.data)).toEqual([0.5, -0.25, 0.5, -0.25]);
    const strict = new MultiHeadAttention(2, { numHeads: 1, fullyMaskedRows: 'error' });
    expect(() => strict.forward(randomInput([1, 2, 2], 1).clone(), { training: false, keyPaddingMask: mask })).toThrow(
      AnnetError,
    );
  });

  it('the masked softmax is stable: scores of ±1e4 give exact one-hot rows and no NaN', () => {
    // Row maxima are subtracted before exp, so exp(−2e4) underflows to 0 and exp(0) = 1.
    const scores = Float64Array.from([1e4, -1e4, 0, -1e4, 1e4, 0]);
    maskedSoftmax(scores, {
      batch: 1,
      heads: 1,
      queries: 2,
      keys: 3,
      scale: 1,
      causal: false,
      keyPadding: [0, 0, 1],
      fullyMaskedRows: 'zeros',
    });
    expect(Array.from(scores)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('refuses a wrong input shape, a head count that does not divide, and a mask of the wrong shape, naming them', () => {
    expect(() => new MultiHeadAttention(6, { numHeads: 4 })).toThrow(/not divisible by numHeads 4/);
    const layer = new MultiHeadAttention(4, { numHeads: 2 });
    expect(() => layer.forward(new Tensor(new Float32Array(8), [2, 4]))).toThrow(/\[batch,time,4\]/);
    expect(() =>
      layer.forward(new Tensor(new Float32Array(24), [2, 3, 4]), {
        training: false,
        keyPaddingMask: tensor([[0, 0]], { dtype: 'int32' }),
      }),
    ).toThrow(/keyPaddingMask must have shape \[2,3\].*got \[1,2\]/);
  });

  it('round-trips its config', () => {
    const layer = new MultiHeadAttention(8, {
      numHeads: 2,
      causal: true,
      dropout: 0.1,
      useBias: false,
      name: 'attention',
    });
    const copy = MultiHeadAttention.fromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.parameters().map((parameter) => parameter.name)).toEqual([
      'attention.queryKeyValueWeights',
      'attention.outputWeights',
    ]);
  });
});

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < expected.length; index++)
    worst = Math.max(worst, Math.abs(actual[index] - expected[index]) / Math.max(1, Math.abs(expected[index])));
  expect(worst).toBeLessThan(tolerance);
}
