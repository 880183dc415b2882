import { readFileSync } from 'node:fs';
import { defaultLayerRegistry, softmaxCrossEntropy } from '@annet/layers';
import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Model } from '../graph/model.js';
import { checkGraphGradients } from '../testing/graph-gradient-check.js';
import { gptModel } from './gpt.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-gpt.json', import.meta.url), 'utf8')) as {
  torch: string;
  config: { vocabularySize: number; blockSize: number; embeddingSize: number; numLayers: number; numHeads: number };
  tokens: number[];
  targets: number[];
  batch: number;
  weights: Record<string, number[]>;
  expectedLogits: number[];
  expectedLoss: number;
  expectedGradients: Record<string, number[]>;
};

function fixtureModel(): Model {
  const model = gptModel({ ...fixture.config, gelu: 'none', dtype: 'float64' }).initialize(0);
  for (const parameter of model.parameters()) parameter.value.set(fixture.weights[parameter.name]);
  return model;
}

describe('gptModel', () => {
  it(`equals a nanoGPT-style GPT in PyTorch ${fixture.torch}: logits, loss and every gradient (the tied table's summed over both uses)`, () => {
    const model = fixtureModel();
    expect(
      model
        .parameters()
        .map((parameter) => parameter.name)
        .sort(),
    ).toEqual(Object.keys(fixture.weights).sort());
    const shape = [fixture.batch, fixture.config.blockSize];
    const { logits } = model.forward(new Tensor(Int32Array.from(fixture.tokens), shape), { training: true });
    expectClose(logits.data, fixture.expectedLogits, 1e-12);
    const loss = softmaxCrossEntropy(logits, new Tensor(Int32Array.from(fixture.targets), shape));
    expect(loss.loss).toBeCloseTo(fixture.expectedLoss, 12);
    model.backward({ logits: loss.gradient });
    for (const parameter of model.parameters())
      expectClose(parameter.grad, fixture.expectedGradients[parameter.name], 1e-10, parameter.name);
  });

  it('backward of the whole tied model matches float64 central differences for every parameter', () => {
    const model = gptModel({
      vocabularySize: 5,
      blockSize: 4,
      embeddingSize: 4,
      numLayers: 1,
      numHeads: 2,
      dtype: 'float64',
    }).initialize(3);
    for (const parameter of model.parameters())
      for (let index = 0; index < parameter.value.length; index++)
        parameter.value[index] += 0.3 * Math.sin(7 * index + parameter.value.length);
    const tokens = new Tensor(Int32Array.from([0, 3, 1, 4, 2, 2, 0, 1]), [2, 4]);
    const results = checkGraphGradients(model, { tokens }).filter((result) => result.name !== 'input tokens');
    expect(results.map((result) => result.name)).toContain('wte.embeddings');
    for (const { name, relativeError, largest } of results) {
      expect(relativeError, name).toBeLessThan(1e-6);
      expect(largest, name).toBeGreaterThan(0);
    }
  });

  it('ties lm_head to wte: one parameter, listed and counted once (nanoGPT baby GPT: 812,416 parameters)', () => {
    const model = gptModel({ vocabularySize: 85 });
    const names = model.parameters().map((parameter) => parameter.name);
    expect(names.filter((name) => name === 'wte.embeddings')).toHaveLength(1);
    expect(model.layers.find((layer) => layer.name === 'lm_head')!.parameters()[0]).toBe(model.parameters()[0]);
    // Per block 12·128² + 13·128 (biases, 2 LayerNorms) = 198,272; ×4, + wte 85·128 + wpe 64·128 + ln_f 256.
    const total = model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0);
    expect(total).toBe(4 * 198_272 + 85 * 128 + 64 * 128 + 256);
    expect(model.summaryData().trainableParameters).toBe(total);
  });

  it('rebuilds from its config with the tie intact and computes the same logits', () => {
    const model = fixtureModel();
    const copy = Model.fromConfig(JSON.parse(JSON.stringify(model.getConfig())), defaultLayerRegistry);
    expect(copy.parameters().map((parameter) => parameter.name)).toEqual(
      model.parameters().map((parameter) => parameter.name),
    );
    copy.parameters().forEach((parameter, index) => parameter.value.set(model.parameters()[index].value));
    const tokens = new Tensor(Int32Array.from(fixture.tokens), [fixture.batch, fixture.config.blockSize]);
    expect(Array.from(copy.forward(tokens).logits.data)).toEqual(Array.from(model.forward(tokens).logits.data));
    expect(copy.layers.find((layer) => layer.name === 'lm_head')!.parameters()[0]).toBe(copy.parameters()[0]);
  });
});

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number, what = 'values'): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < expected.length; index++)
    worst = Math.max(worst, Math.abs(actual[index] - expected[index]) / Math.max(1, Math.abs(expected[index])));
  expect(worst, what).toBeLessThan(tolerance);
}
