import type { Layer } from '@annet/layer-api';
import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import {
  checkLayerGradients,
  expectGradientsToMatch,
  numericGradient,
  randomInput,
} from '../testing/gradient-check.js';
import { Bidirectional, type BidirectionalMerge } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer, RecurrentOptions } from './recurrent-layer.js';
import { attachMask } from './sequence-mask.js';
import { SimpleRNN } from './simple-rnn.js';

const batch = 3;
const time = 5;
const inputSize = 4;
const hiddenSize = 3;
// Sample 0 is full, sample 1 has 3 real steps, sample 2 one; as a [batch, time] mask.
const lengths = [5, 3, 1];
const mask = new Tensor(
  Float64Array.from({ length: batch * time }, (_, index) => (index % time < lengths[Math.floor(index / time)] ? 1 : 0)),
  [batch, time],
);

type Make = (options: RecurrentOptions) => RecurrentLayer;
const kinds: Record<string, Make> = {
  'SimpleRNN tanh': (options) => new SimpleRNN(inputSize, hiddenSize, { ...options, activation: 'tanh' }),
  'SimpleRNN relu': (options) => new SimpleRNN(inputSize, hiddenSize, { ...options, activation: 'relu' }),
  LSTM: (options) => new LSTM(inputSize, hiddenSize, options),
  GRU: (options) => new GRU(inputSize, hiddenSize, options),
};

/** The layer with `mask` attached to every input it sees (the checker clones its input, so the mask must be attached inside forward). */
function masked<L extends Layer<Tensor>>(layer: L, sequenceMask: Tensor | undefined): Layer<Tensor> {
  if (sequenceMask === undefined) return layer;
  return {
    name: layer.name,
    parameters: () => layer.parameters(),
    buffers: () => layer.buffers(),
    outputShape: (shape) => layer.outputShape(shape),
    getConfig: () => layer.getConfig(),
    forward: (input, options) => layer.forward(attachMask(input, sequenceMask), options),
    backward: (gradient, options) => layer.backward(gradient, options),
  };
}

describe('recurrent layers: float64 central differences', () => {
  for (const [kind, make] of Object.entries(kinds)) {
    for (const returnSequences of [true, false]) {
      for (const reverse of [false, true]) {
        for (const withMask of [false, true]) {
          const label = `${kind}${returnSequences ? ', every step' : ', last step'}${reverse ? ', reversed' : ''}${withMask ? ', masked' : ''}`;
          it(`${label}: input and every weight`, () => {
            const layer = make({ dtype: 'float64', returnSequences, reverse, seed: 7 });
            const errors = checkLayerGradients(
              masked(layer, withMask ? mask : undefined),
              randomInput([batch, time, inputSize], 3),
            );
            expect(errors.map((error) => error.name)).toEqual([
              'input',
              ...layer.parameters().map((parameter) => parameter.name),
            ]);
            expectGradientsToMatch(errors, 1e-6);
          });
        }
      }
    }

    for (const [withMask, reverse] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      it(`${kind}${reverse ? ', reversed' : ''}${withMask ? ', masked' : ''}: initial state, with a gradient on the final state too`, () => {
        const layer = make({ dtype: 'float64', returnSequences: true, reverse, seed: 11 });
        const x = randomInput([batch, time, inputSize], 5);
        if (withMask) attachMask(x, mask);
        const initial = Array.from({ length: layer.stateCount }, (_, index) =>
          randomInput([batch, hiddenSize], 20 + index, 0.5),
        );
        const projection = randomInput([batch, time, hiddenSize], 30);
        const finalProjection = Array.from({ length: layer.stateCount }, (_, index) =>
          randomInput([batch, hiddenSize], 40 + index),
        );
        // L = Σ y·P + Σ_k final_k·Q_k.
        const loss = (): number => {
          layer.setInitialState(initial);
          const y = layer.forward(x);
          let total = 0;
          for (let index = 0; index < y.size; index++) total += y.data[index] * projection.data[index];
          layer.finalStates().forEach((state, k) => {
            for (let index = 0; index < state.size; index++)
              total += state.data[index] * finalProjection[k].data[index];
          });
          return total;
        };
        loss();
        layer.backward(projection, { finalStateGradients: finalProjection });
        const analytic = layer.initialStateGradients().map((gradient) => Float64Array.from(gradient.data));
        initial.forEach((state, k) => {
          const numeric = numericGradient(state.data as Float64Array, loss, 1e-5);
          const scale = Math.max(...numeric.map(Math.abs));
          expect(scale, 'a vacuous check').toBeGreaterThan(0);
          for (let index = 0; index < numeric.length; index++)
            expect(Math.abs(analytic[k][index] - numeric[index]) / scale).toBeLessThan(1e-6);
        });
      });
    }
  }
});

describe('Bidirectional: float64 central differences', () => {
  const merges: BidirectionalMerge[] = ['concat', 'sum', 'average', 'multiply'];
  for (const merge of merges) {
    for (const [kind, make] of Object.entries({ LSTM: kinds.LSTM, GRU: kinds.GRU })) {
      for (const withMask of [false, true]) {
        it(`${kind}, merge ${merge}${withMask ? ', masked' : ''}: input and both directions' weights`, () => {
          const layer = new Bidirectional(make({ dtype: 'float64', returnSequences: true }), { merge, seed: 5 });
          const errors = checkLayerGradients(
            masked(layer, withMask ? mask : undefined),
            randomInput([batch, time, inputSize], 9),
          );
          expect(errors).toHaveLength(9);
          expectGradientsToMatch(errors, 1e-6);
        });
      }
    }
  }

  it('last-step outputs (returnSequences false), masked', () => {
    const layer = new Bidirectional(new LSTM(inputSize, hiddenSize, { dtype: 'float64' }), { seed: 2 });
    expectGradientsToMatch(checkLayerGradients(masked(layer, mask), randomInput([batch, time, inputSize], 4)), 1e-6);
  });
});
