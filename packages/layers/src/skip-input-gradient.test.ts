import { createRng, randomNormal, type Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import type { BaseLayer } from './base-layer.js';
import { Conv2D } from './convolution/conv2d.js';
import { Dense } from './core/dense.js';
import { Bidirectional } from './recurrent/bidirectional.js';
import { GRU } from './recurrent/gru.js';
import { LSTM } from './recurrent/lstm.js';

/**
 * `{ inputGradient: false }` must change nothing but the skipped product: the parameter gradients
 * are bit-identical to a full backward, and the returned buffer is left as it was.
 */
function compareSkipped(makeLayer: () => BaseLayer, inputShape: number[], seed: number) {
  const rng = createRng(seed);
  const input = randomNormal(inputShape, rng);
  const full = makeLayer();
  const skipping = makeLayer();
  const outputGradient = randomNormal(full.forward(input, { training: true }).shape, rng);
  skipping.forward(input, { training: true });
  const fullInputGradient = full.backward(outputGradient);
  const before = Array.from(skipping.backward(outputGradient, { inputGradient: false }).data);
  skipping.forward(input, { training: true });
  const returned: Tensor = skipping.backward(outputGradient, { inputGradient: false });
  expect(returned.shape).toEqual(fullInputGradient.shape);
  expect(Array.from(returned.data)).toEqual(before);
  expect(Array.from(returned.data)).not.toEqual(Array.from(fullInputGradient.data));
  full.parameters().forEach((parameter, index) => {
    expect(Array.from(skipping.parameters()[index].grad)).toEqual(Array.from(parameter.grad));
  });
}

describe('backward with { inputGradient: false }', () => {
  it('Dense writes the same parameter gradients and skips dX', () => {
    compareSkipped(() => new Dense(6, 4, { seed: 3 }), [5, 6], 11);
  });
  it('Conv2D writes the same parameter gradients and skips dX', () => {
    compareSkipped(() => new Conv2D(2, 3, 3, { seed: 5, padding: 'same' }), [2, 2, 5, 5], 12);
  });
  it('LSTM and Bidirectional GRU write the same parameter gradients and skip dX', () => {
    compareSkipped(() => new LSTM(3, 4, { seed: 2, returnSequences: true }), [2, 5, 3], 13);
    compareSkipped(() => new Bidirectional(new GRU(3, 4, { returnSequences: true }), { seed: 4 }), [2, 5, 3], 14);
  });
});
