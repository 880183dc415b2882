import { Tensor } from '@annet/tensor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer } from './recurrent-layer.js';
import { attachMask } from './sequence-mask.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Σ_j W[row, j]·v[j] for a row-major W with `columns` columns. */
function dot(weights: ArrayLike<number>, row: number, columns: number, vector: readonly number[]): number {
  let total = 0;
  for (let column = 0; column < columns; column++) total += weights[row * columns + column] * vector[column];
  return total;
}

/**
 * The cells written straight from PyTorch's equations, one sample and one unit at a time, with
 * any mask (not only prefixes): a masked step keeps the state and outputs 0. Returns the outputs
 * [time][hidden] and the final h.
 */
function reference(
  kind: 'LSTM' | 'GRU',
  layer: RecurrentLayer,
  x: number[][],
  mask: number[],
  reverse: boolean,
): { outputs: number[][]; final: number[] } {
  const [wih, whh, bih, bhh] = layer.parameters().map((parameter) => parameter.value);
  const H = layer.hiddenSize;
  const I = layer.inputSize;
  let h = new Array<number>(H).fill(0);
  let c = new Array<number>(H).fill(0);
  const outputs = x.map(() => new Array<number>(H).fill(0));
  const order = x.map((_, t) => t);
  if (reverse) order.reverse();
  for (const t of order) {
    if (mask[t] === 0) continue;
    const gate = (g: number, unit: number): [number, number] => [
      dot(wih, g * H + unit, I, x[t]) + bih[g * H + unit],
      dot(whh, g * H + unit, H, h) + bhh[g * H + unit],
    ];
    if (kind === 'LSTM') {
      const next = h.map((_, unit) => {
        const [i, f, g, o] = [0, 1, 2, 3].map((index) => gate(index, unit)).map(([a, b]) => a + b);
        const cell = sigmoid(f) * c[unit] + sigmoid(i) * Math.tanh(g);
        return { cell, hidden: sigmoid(o) * Math.tanh(cell) };
      });
      c = next.map((entry) => entry.cell);
      h = next.map((entry) => entry.hidden);
    } else {
      h = h.map((previous, unit) => {
        const [[ir, hr], [iz, hz], [inn, hn]] = [0, 1, 2].map((index) => gate(index, unit));
        const r = sigmoid(ir + hr);
        const z = sigmoid(iz + hz);
        const n = Math.tanh(inn + r * hn);
        return (1 - z) * n + z * previous;
      });
    }
    outputs[t] = h.slice();
  }
  return { outputs, final: h };
}

describe('recurrent layers against a naive scalar reference (fast-check)', () => {
  for (const kind of ['LSTM', 'GRU'] as const) {
    it(`${kind}: every output and final state, for random shapes, weights, inputs and arbitrary masks, both directions`, () => {
      fc.assert(
        fc.property(
          fc
            .record({
              batch: fc.integer({ min: 1, max: 3 }),
              time: fc.integer({ min: 1, max: 5 }),
              input: fc.integer({ min: 1, max: 3 }),
              hidden: fc.integer({ min: 1, max: 3 }),
              seed: fc.nat(1000),
              reverse: fc.boolean(),
            })
            .chain((sizes) =>
              fc.record({
                sizes: fc.constant(sizes),
                x: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
                  minLength: sizes.batch * sizes.time * sizes.input,
                  maxLength: sizes.batch * sizes.time * sizes.input,
                }),
                mask: fc.array(fc.constantFrom(0, 1), {
                  minLength: sizes.batch * sizes.time,
                  maxLength: sizes.batch * sizes.time,
                }),
              }),
            ),
          ({ sizes, x, mask }) => {
            const { batch, time, input, hidden, seed, reverse } = sizes;
            const options = { dtype: 'float64', returnSequences: true, reverse, seed } as const;
            const layer = kind === 'LSTM' ? new LSTM(input, hidden, options) : new GRU(input, hidden, options);
            const sequence = new Tensor(Float64Array.from(x), [batch, time, input]);
            attachMask(sequence, new Tensor(Float64Array.from(mask), [batch, time]));
            const output = layer.forward(sequence);
            const final = layer.finalStates()[0];
            for (let sample = 0; sample < batch; sample++) {
              const steps = Array.from({ length: time }, (_, t) =>
                x.slice((sample * time + t) * input, (sample * time + t + 1) * input),
              );
              const expected = reference(kind, layer, steps, mask.slice(sample * time, (sample + 1) * time), reverse);
              for (let t = 0; t < time; t++) {
                for (let unit = 0; unit < hidden; unit++)
                  expect(output.data[(sample * time + t) * hidden + unit]).toBeCloseTo(expected.outputs[t][unit], 12);
              }
              for (let unit = 0; unit < hidden; unit++)
                expect(final.data[sample * hidden + unit]).toBeCloseTo(expected.final[unit], 12);
            }
          },
        ),
        { seed: 42, numRuns: 60 },
      );
    });
  }
});
