import { gptModel } from '@annet/model';
import { describe, expect, it } from 'vitest';
import { parseCliArguments } from '../args.js';
import { buildTextOptimizer } from './run-text.js';
import { resolveTextSettings } from './text-settings.js';

describe('buildTextOptimizer', () => {
  it('decays only weights of rank >= 2: with zero gradients one AdamW step shrinks them by lr·0.1 and leaves biases and LayerNorms alone', () => {
    const settings = resolveTextSettings(parseCliArguments(['--task', 'text']));
    const model = gptModel({ vocabularySize: 7, blockSize: 4, embeddingSize: 8, numLayers: 1, numHeads: 2 }).initialize(
      1,
    );
    for (const parameter of model.parameters()) parameter.value.fill(1);
    buildTextOptimizer(settings, model).step(model); // every grad is 0: only decoupled weight decay moves values
    for (const parameter of model.parameters()) {
      const rank = (parameter as unknown as { shape: number[] }).shape.length;
      // AdamW: θ ← θ − lr·λ·θ = 1 − 1e-3·0.1 (in float32).
      expect(parameter.value[0], parameter.name).toBe(rank >= 2 ? Math.fround(1 - 1e-3 * 0.1) : 1);
    }
  });

  it('warms up then decays with --schedule cosine (100 steps, down to lr/10 at the end)', () => {
    const settings = resolveTextSettings(parseCliArguments(['--task', 'text', '--schedule', 'cosine']));
    const model = gptModel({ vocabularySize: 7, blockSize: 4, embeddingSize: 8, numLayers: 1, numHeads: 2 });
    const optimizer = buildTextOptimizer(settings, model);
    expect(optimizer.currentLearningRate()).toBe(0);
    expect(settings.warmupSteps).toBe(100);
  });
});
