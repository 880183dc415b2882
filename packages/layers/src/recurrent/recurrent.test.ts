import { AnnetError, Tensor, tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding } from '../core/embedding.js';
import { collectWeights, loadWeights } from '../registry/load-weights.js';
import { layerFromConfig, graphLayerFromConfig } from '../registry/layer-registry.js';
import { randomInput } from '../testing/gradient-check.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer, RecurrentOptions } from './recurrent-layer.js';
import { attachMask, maskOf } from './sequence-mask.js';
import { SequenceMask } from './sequence-mask-layer.js';
import { SimpleRNN } from './simple-rnn.js';
import { FinalState } from './final-state.js';
import { InitialState } from './initial-state.js';

const kinds: Record<string, (options: RecurrentOptions) => RecurrentLayer> = {
  SimpleRNN: (options) => new SimpleRNN(3, 4, options),
  LSTM: (options) => new LSTM(3, 4, options),
  GRU: (options) => new GRU(3, 4, options),
};

/** Rows [from, to) of the time axis of a [batch, time, features] tensor, for one sample, as a [1, to − from, features] copy. */
function steps(x: Tensor, sample: number, length: number): Tensor {
  const [, time, features] = x.shape;
  const values = Float64Array.from(x.data.subarray(sample * time * features, (sample * time + length) * features));
  return new Tensor(values, [1, length, features]);
}

describe('masked sequences', () => {
  for (const [kind, make] of Object.entries(kinds)) {
    for (const reverse of [false, true]) {
      it(`${kind}${reverse ? ' reversed' : ''}: a padded sample gives what its unpadded prefix gives, zeros after it, and its final state at its own last step`, () => {
        const layer = make({ dtype: 'float64', returnSequences: true, reverse, seed: 1 });
        const x = randomInput([2, 6, 3], 8);
        const lengths = [6, 4];
        attachMask(
          x,
          tensor([
            [1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 0, 0],
          ]),
        );
        const output = layer.forward(x).clone();
        const final = layer.finalStates()[0].clone();
        for (let sample = 0; sample < 2; sample++) {
          // The oracle: the same layer on the sample alone, cut to its length, without a mask.
          const alone = layer.forward(steps(x, sample, lengths[sample])).clone();
          const aloneFinal = layer.finalStates()[0];
          for (let step = 0; step < 6; step++) {
            for (let unit = 0; unit < 4; unit++) {
              const got = output.data[(sample * 6 + step) * 4 + unit];
              if (step < lengths[sample]) expect(got).toBeCloseTo(alone.data[step * 4 + unit], 14);
              else expect(got).toBe(0);
            }
          }
          for (let unit = 0; unit < 4; unit++)
            expect(final.data[sample * 4 + unit]).toBeCloseTo(aloneFinal.data[unit], 14);
        }
      });
    }

    it(`${kind}: padded steps get exactly zero input gradient and do not change any weight gradient`, () => {
      const layer = make({ dtype: 'float64', returnSequences: true, seed: 2 });
      const x = randomInput([1, 5, 3], 3);
      attachMask(x, tensor([[1, 1, 1, 0, 0]]));
      const dy = randomInput([1, 5, 4], 4);
      layer.forward(x);
      const dx = layer.backward(dy).clone();
      const maskedGradients = layer.parameters().map((parameter) => Float64Array.from(parameter.grad));
      for (let index = 3 * 3; index < 5 * 3; index++) expect(dx.data[index]).toBe(0);
      // Changing what sits in the padding changes nothing.
      const other = x.clone();
      for (let index = 3 * 3; index < 5 * 3; index++) other.data[index] = 100;
      attachMask(other, tensor([[1, 1, 1, 0, 0]]));
      layer.forward(other);
      layer.backward(dy);
      layer
        .parameters()
        .forEach((parameter, index) => expect(Array.from(parameter.grad)).toEqual(Array.from(maskedGradients[index])));
    });
  }

  it('Embedding({ maskZero }) masks index 0, and an LSTM over it skips those steps', () => {
    const embedding = new Embedding(5, 3, { maskZero: true, paddingIndex: 0, dtype: 'float64' });
    const lstm = new LSTM(3, 2, { dtype: 'float64', returnSequences: true });
    const ids = tensor(
      [
        [2, 4, 0, 0],
        [1, 0, 0, 0],
      ],
      { dtype: 'int32' },
    );
    const embedded = embedding.forward(ids);
    expect(Array.from(maskOf(embedded)!.data)).toEqual([1, 1, 0, 0, 1, 0, 0, 0]);
    const output = lstm.forward(embedded);
    expect(Array.from(output.data.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(maskOf(output)).toBe(maskOf(embedded));
    expect(embedding.getConfig()).toMatchObject({ maskZero: true, paddingIndex: 0 });
  });

  it('SequenceMask attaches a [batch, time] mask or builds one from lengths, and passes the gradient through', () => {
    const layer = new SequenceMask();
    const x = randomInput([2, 3, 2], 1);
    const fromLengths = layer.forward([x, tensor([3, 1], { dtype: 'int32' })]);
    expect(Array.from(maskOf(fromLengths)!.data)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(fromLengths.data)).toEqual(Array.from(x.data));
    const gradient = randomInput([2, 3, 2], 2);
    const [dx, dmask] = layer.backward(gradient);
    expect(dx).toBe(gradient);
    expect(Array.from(dmask.data)).toEqual([0, 0]);
    expect(() => layer.forward([x, tensor([4, 1], { dtype: 'int32' })])).toThrow(
      /lengths must be integers in \[0, 3\].*got 4 for sample 0/,
    );
    expect(() =>
      layer.forward([
        x,
        tensor([
          [1, 1],
          [1, 0],
        ]),
      ]),
    ).toThrow(/expected a mask \[batch, time\] = \[2,3\] or lengths \[batch\] = \[2\].*got \[2,2\]/);
  });
});

describe('parameters, config and checkpoints', () => {
  it('names and shapes the parameters as PyTorch does (gates stacked, weightIH [gates·hidden, input])', () => {
    expect(new LSTM(3, 4).parameters().map((parameter) => [parameter.name, parameter.shape])).toEqual([
      ['lstm.weightIH', [16, 3]],
      ['lstm.weightHH', [16, 4]],
      ['lstm.biasIH', [16]],
      ['lstm.biasHH', [16]],
    ]);
    expect(new GRU(3, 4).parameters().map((parameter) => parameter.shape[0])).toEqual([12, 12, 12, 12]);
    expect(
      new Bidirectional(new SimpleRNN(3, 4), { name: 'bi' }).parameters().map((parameter) => parameter.name),
    ).toEqual([
      'bi.weightIH',
      'bi.weightHH',
      'bi.biasIH',
      'bi.biasHH',
      'bi.weightIH_reverse',
      'bi.weightHH_reverse',
      'bi.biasIH_reverse',
      'bi.biasHH_reverse',
    ]);
  });

  it('draws every parameter from U(−1/√hidden, 1/√hidden), deterministically per seed', () => {
    const values = new LSTM(3, 16, { seed: 4 }).parameters().flatMap((parameter) => Array.from(parameter.value));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.24);
    expect(new LSTM(3, 16, { seed: 4 }).parameters()[1].value).toEqual(
      new LSTM(3, 16, { seed: 4 }).parameters()[1].value,
    );
  });

  const layers = (): Array<RecurrentLayer | Bidirectional> => [
    new SimpleRNN(3, 4, { activation: 'relu', returnSequences: true, seed: 1 }),
    new LSTM(3, 4, { reverse: true, maxLength: 10, seed: 2 }),
    new GRU(3, 4, { returnSequences: true, seed: 3 }),
    new Bidirectional(new LSTM(3, 4, { returnSequences: true }), { merge: 'average', seed: 4, name: 'tagger' }),
  ];
  for (const [index, layer] of layers().entries()) {
    it(`${layer.className} #${index}: rebuilds from its JSON config and loads its weights by name to the same outputs`, () => {
      const config = JSON.parse(JSON.stringify(layer.getConfig()));
      const copy = layerFromConfig(config) as RecurrentLayer;
      expect(graphLayerFromConfig(config).getConfig()).toEqual(layer.getConfig());
      expect(copy.getConfig()).toEqual(layer.getConfig());
      loadWeights(copy, collectWeights(layer));
      const x = randomInput([2, 5, 3], 6).clone();
      const f32 = new Tensor(Float32Array.from(x.data), x.shape);
      expect(Array.from(copy.forward(f32).data)).toEqual(Array.from(layer.forward(f32).data));
    });
  }
});

describe('inputs of varying shapes (bucketed batches)', () => {
  for (const [kind, make] of Object.entries(kinds)) {
    it(`${kind}: a smaller or shorter batch after a larger one gives what a fresh layer gives, gradients included`, () => {
      const reused = make({ dtype: 'float64', returnSequences: true, seed: 3 });
      const shapes = [
        [4, 6, 3],
        [2, 3, 3],
        [3, 7, 3],
        [1, 2, 3],
      ];
      for (const [index, shape] of shapes.entries()) {
        const fresh = make({ dtype: 'float64', returnSequences: true, seed: 3 });
        const x = randomInput(shape, 10 + index);
        const dy = randomInput([shape[0], shape[1], 4], 20 + index);
        expect(Array.from(reused.forward(x).data)).toEqual(Array.from(fresh.forward(x).data));
        expect(Array.from(reused.backward(dy).data)).toEqual(Array.from(fresh.backward(dy).data));
        reused
          .parameters()
          .forEach((parameter, position) =>
            expect(Array.from(parameter.grad)).toEqual(Array.from(fresh.parameters()[position].grad)),
          );
        expect(reused.finalStates().map((state) => Array.from(state.data))).toEqual(
          fresh.finalStates().map((state) => Array.from(state.data)),
        );
      }
    });
  }
});

describe('steady state', () => {
  it('returns the same output and gradient tensors and parameter-gradient arrays on every step', () => {
    for (const layer of [
      new LSTM(3, 4, { returnSequences: true }),
      new GRU(3, 4),
      new Bidirectional(new SimpleRNN(3, 4, { returnSequences: true })),
    ]) {
      const x = new Tensor(Float32Array.from(randomInput([2, 5, 3], 1).data), [2, 5, 3]);
      const dy = new Tensor(
        new Float32Array(layer.outputShape([2, 5, 3]).reduce((a, b) => a * b, 1)).fill(0.1),
        layer.outputShape([2, 5, 3]),
      );
      const output = layer.forward(x);
      const gradient = layer.backward(dy);
      const first = Array.from(output.data);
      for (let step = 0; step < 3; step++) {
        expect(layer.forward(x)).toBe(output);
        expect(layer.backward(dy)).toBe(gradient);
      }
      expect(Array.from(output.data)).toEqual(first);
    }
  });
});

describe('bad input: one typed error naming the layer and the shapes', () => {
  const expectError = (run: () => unknown, code: string, message: RegExp): void => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(AnnetError);
      expect((error as AnnetError).code).toBe(code);
      expect((error as AnnetError).message).toMatch(message);
      return;
    }
    throw new Error('expected an AnnetError');
  };

  it('a wrong rank or feature size', () => {
    const lstm = new LSTM(3, 4, { name: 'encoder' });
    expectError(
      () => lstm.forward(new Tensor(new Float32Array(6), [2, 3])),
      'SHAPE_MISMATCH',
      /^LSTM "encoder": expected input \[batch,time,3\] \(rank 3\), got \[2,3\]$/,
    );
    expectError(() => lstm.forward(new Tensor(new Float32Array(20), [2, 2, 5])), 'SHAPE_MISMATCH', /got \[2,2,5\]/);
    expectError(
      () => lstm.forward(new Tensor(new Float64Array(12), [2, 2, 3])),
      'DTYPE_MISMATCH',
      /^LSTM "encoder": expected a float32 input, got float64/,
    );
  });

  it('a mask of the wrong shape, or not of 0s and 1s', () => {
    const gru = new GRU(3, 4, { name: 'gru_1' });
    const x = new Tensor(new Float32Array(18), [2, 3, 3]);
    attachMask(
      x,
      tensor([
        [1, 1],
        [1, 0],
      ]),
    );
    expectError(
      () => gru.forward(x),
      'SHAPE_MISMATCH',
      /^GRU "gru_1": expected a mask of shape \[2,3\] \(batch, time\) for an input of shape \[2,3,3\], got a mask of shape \[2,2\]$/,
    );
    const bidirectional = new Bidirectional(new GRU(3, 4), { name: 'tagger' });
    expectError(
      () => bidirectional.forward(x),
      'SHAPE_MISMATCH',
      /^Bidirectional "tagger": expected a mask of shape \[2,3\]/,
    );
    expectError(
      () => bidirectional.forward(new Tensor(new Float32Array(12), [2, 3, 2])),
      'SHAPE_MISMATCH',
      /^Bidirectional "tagger": expected input \[batch,time,3\] \(rank 3\), got \[2,3,2\]$/,
    );
    attachMask(
      x,
      tensor([
        [1, 1, 1],
        [1, 0.5, 0],
      ]),
    );
    expectError(() => gru.forward(x), 'INVALID_ARGUMENT', /mask values must be 0 or 1, got 0.5 at \[1,1\]/);
  });

  it('a sequence longer than maxLength', () => {
    const rnn = new SimpleRNN(3, 4, { maxLength: 2 });
    expectError(
      () => rnn.forward(new Tensor(new Float32Array(18), [2, 3, 3])),
      'SHAPE_MISMATCH',
      /^SimpleRNN "simple_rnn": the input has 3 steps \(shape \[2,3,3\]\) but the layer's maxLength is 2/,
    );
    expectError(
      () => new SimpleRNN(3, 4, { maxLength: 0 }),
      'INVALID_ARGUMENT',
      /maxLength must be a positive integer, got 0/,
    );
  });

  it('initial and final states of the wrong number or shape', () => {
    const lstm = new LSTM(3, 4);
    expectError(
      () => lstm.setInitialState([new Tensor(new Float32Array(8), [2, 4])]),
      'INVALID_ARGUMENT',
      /expected 2 initial state tensors \(h, c\), got 1/,
    );
    lstm.setInitialState([new Tensor(new Float32Array(8), [2, 4]), new Tensor(new Float32Array(4), [1, 4])]);
    expectError(
      () => lstm.forward(new Tensor(new Float32Array(18), [2, 3, 3])),
      'SHAPE_MISMATCH',
      /initial state 1 \(c\) must be \[2,4\] for an input of shape \[2,3,3\], got \[1,4\]/,
    );
    lstm.setInitialState(undefined);
    const y = lstm.forward(new Tensor(new Float32Array(18), [2, 3, 3]));
    const wrong = new Tensor(new Float32Array(4), [1, 4]);
    expectError(
      () => lstm.backward(y, { finalStateGradients: [y, wrong] }),
      'SHAPE_MISMATCH',
      /final state gradient 1 must be \[2,4\], got \[1,4\]/,
    );
    expectError(
      () => lstm.backward(y, { finalStateGradients: [y] }),
      'INVALID_ARGUMENT',
      /expected 2 final state gradients \(h, c\), got 1/,
    );
  });

  it('FinalState on a tensor no recurrent layer made, or asking a state the layer lacks; InitialState with the wrong number of states', () => {
    expectError(
      () => new FinalState(4).forward(new Tensor(new Float32Array(8), [2, 4])),
      'INVALID_ARGUMENT',
      /^FinalState "final_state": its input \[2,4\] is not the output of a recurrent layer/,
    );
    const gru = new GRU(3, 4, { name: 'gru_2' });
    const output = gru.forward(new Tensor(new Float32Array(18), [2, 3, 3]));
    expectError(
      () => new FinalState(4, { state: 1 }).forward(output),
      'INVALID_ARGUMENT',
      /state 1 asked, but "gru_2" has 1 state$/,
    );
    expectError(
      () => new FinalState(5).forward(output),
      'SHAPE_MISMATCH',
      /"gru_2"'s state 0 is \[2,4\], but this layer was built for hiddenSize 5/,
    );
    const h = new Tensor(new Float32Array(8), [2, 4]);
    const withStates = new InitialState().forward([new Tensor(new Float32Array(18), [2, 3, 3]), h, h]);
    expectError(
      () => gru.forward(withStates),
      'INVALID_ARGUMENT',
      /^GRU "gru_2": its input carries 2 initial states \(from InitialState\) but the layer has 1 \(h\)$/,
    );
    expectError(
      () =>
        new InitialState().forward([
          new Tensor(new Float32Array(18), [2, 3, 3]),
          new Tensor(new Float32Array(12), [3, 4]),
        ]),
      'SHAPE_MISMATCH',
      /initial state 0 must be \[batch, hidden\] with the sequence's batch \(sequence \[2,3,3\]\), got \[3,4\]/,
    );
  });

  it('backward before forward, and a wrapped layer that is not recurrent or already reversed', () => {
    expectError(
      () => new GRU(3, 4).backward(new Tensor(new Float32Array(8), [2, 4])),
      'INVALID_STATE',
      /backward was called before forward/,
    );
    expectError(
      () => new Bidirectional(new LSTM(3, 4, { reverse: true })),
      'INVALID_ARGUMENT',
      /wrap a layer without reverse: true/,
    );
    expectError(
      () => new Bidirectional(new LSTM(3, 4), { merge: 'max' as 'sum' }),
      'INVALID_ARGUMENT',
      /merge must be one of 'concat', 'sum', 'average', 'multiply', got "max"/,
    );
  });
});
