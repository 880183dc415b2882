import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnnetError } from '../errors.js';
import { jsKernels } from '../kernels/js-kernels.js';
import { useKernels } from '../kernels/kernel-selection.js';
import {
  epsilon,
  expectWithin,
  float32,
  hiddenSizes,
  resident,
  rowCounts,
  sigmoid,
  signedUnitInterval,
  ulps,
  unitInterval,
} from '../testing/cell-fixtures.js';
import { lstmCellBackwardResident, lstmCellForwardResident } from './lstm-cell-resident.js';

/** The forward cell equations in float64 on the same float32 inputs: the naive reference. */
function forwardReference(gates: Float32Array, previous: Float32Array, rows: number, hidden: number) {
  const activations = new Float64Array(rows * 4 * hidden);
  const results = Array.from({ length: rows * hidden }, (_, index) => {
    const row = Math.floor(index / hidden);
    const unit = index % hidden;
    const a = row * 4 * hidden + unit;
    const [i, f, g, o] = [0, 1, 2, 3].map((gate) => {
      const x = gates[a + gate * hidden];
      return gate === 2 ? Math.tanh(x) : sigmoid(x);
    });
    [i, f, g, o].forEach((value, gate) => (activations[a + gate * hidden] = value));
    const c = f * previous[index] + i * g;
    const spread = Math.abs(f * previous[index]) + Math.abs(i * g);
    const t = Math.tanh(c);
    const tanhScale = Math.abs(t) + (1 - t * t) * spread;
    return { c, spread, t, tanhScale, h: o * t, hiddenScale: Math.abs(o * t) + Math.abs(o) * tanhScale };
  });
  return { activations, results };
}

describe('lstmCellForwardResident', () => {
  it('matches the float64 cell equations to float32 ulps for any hidden size, saturating pre-activations included', () => {
    fc.assert(
      fc.property(
        rowCounts,
        hiddenSizes,
        fc.array(fc.oneof(float32(12), float32(200)), { minLength: 3 * 4 * 11, maxLength: 3 * 4 * 11 }),
        fc.array(float32(6), { minLength: 3 * 11, maxLength: 3 * 11 }),
        (rows, hidden, gateValues, cellValues) => {
          const gates = resident(gateValues.slice(0, rows * 4 * hidden));
          const previous = resident(cellValues.slice(0, rows * hidden));
          const expected = forwardReference(gates, previous, rows, hidden);
          const cell = resident(new Float32Array(rows * hidden));
          const cellTanh = resident(new Float32Array(rows * hidden));
          const output = resident(new Float32Array(rows * hidden));
          expect(lstmCellForwardResident(gates, 0, previous, 0, cell, 0, cellTanh, 0, output, 0, rows, hidden)).toBe(
            true,
          );
          for (let index = 0; index < rows * 4 * hidden; index++)
            expectWithin(
              gates[index],
              expected.activations[index],
              Math.abs(expected.activations[index]),
              `gate ${index}`,
            );
          expected.results.forEach(({ c, spread, t, tanhScale, h, hiddenScale }, index) => {
            expectWithin(cell[index], c, spread, `c′ ${index}`);
            expectWithin(cellTanh[index], t, tanhScale, `tanh c′ ${index}`);
            expectWithin(output[index], h, hiddenScale, `h′ ${index}`);
          });
        },
      ),
    );
  });

  it('saturates exactly: σ is 0 and 1, tanh is ±1 far out, and ±∞ give the limits', () => {
    // One row, H = 6 (a vector of four units and a tail of two): i, f, o = σ(x), g = tanh(x) of the same x per unit.
    const x = [-1e4, 1e4, -Infinity, Infinity, -100, 40];
    const gates = resident([...x, ...x, ...x, ...x]);
    const previous = resident([0, 0, 0, 0, 0, 0]);
    const cell = resident(new Float32Array(6));
    const cellTanh = resident(new Float32Array(6));
    const hidden = resident(new Float32Array(6));
    expect(lstmCellForwardResident(gates, 0, previous, 0, cell, 0, cellTanh, 0, hidden, 0, 1, 6)).toBe(true);
    const expectedSigmoid = [0, 1, 0, 1, 0, 1]; // σ(−100) = 3.7e-44 in float64; the kernel gives 0 below −87.3
    const expectedTanh = [-1, 1, -1, 1, -1, 1];
    expect(Array.from(gates.subarray(0, 6))).toEqual(expectedSigmoid);
    expect(Array.from(gates.subarray(6, 12))).toEqual(expectedSigmoid);
    expect(Array.from(gates.subarray(12, 18))).toEqual(expectedTanh);
    expect(Array.from(gates.subarray(18, 24))).toEqual(expectedSigmoid);
    // c′ = f·0 + i·g: 0·0 + 0·(−1) = +0 where i = f = 0, 1·0 + 1·1 = 1 where i = f = 1; h′ = o·tanh c′.
    expect(Array.from(cell)).toEqual([0, 1, 0, 1, 0, 1]);
    for (const index of [0, 2, 4]) expect([cellTanh[index], hidden[index]]).toEqual([0, 0]);
    for (const index of [1, 3, 5]) {
      expect(Math.abs(cellTanh[index] - Math.tanh(1))).toBeLessThanOrEqual(ulps * epsilon);
      expect(hidden[index]).toBe(cellTanh[index]);
    }
  });

  it('propagates NaN from a gate or the previous cell into c′, tanh c′ and h′, and nowhere else', () => {
    const hidden = 5;
    const gates = resident(Array.from({ length: 4 * hidden }, (_, index) => 0.1 * index - 1));
    gates[1] = NaN; // i of unit 1
    gates[2 * hidden + 4] = NaN; // g of unit 4 (the tail)
    const previous = resident([0.5, 0.5, NaN, 0.5, 0.5]); // c of unit 2
    const cell = resident(new Float32Array(hidden));
    const cellTanh = resident(new Float32Array(hidden));
    const output = resident(new Float32Array(hidden));
    expect(lstmCellForwardResident(gates, 0, previous, 0, cell, 0, cellTanh, 0, output, 0, 1, hidden)).toBe(true);
    for (const array of [cell, cellTanh, output])
      expect(Array.from(array, (value) => Number.isNaN(value))).toEqual([false, true, true, false, true]);
  });

  it('reads and writes only its rows from the given offsets; cell may be previousCell in place', () => {
    const hidden = 3;
    const gates = resident(Array.from({ length: 2 + 8 * hidden + 2 }, (_, index) => Math.sin(index)));
    const expected = forwardReference(gates.slice(2), Float32Array.from([0.3, -0.2, 0.9, 0.1, 0, -0.7]), 2, hidden);
    const states = resident([7, 7, 0.3, -0.2, 0.9, 0.1, 0, -0.7, 7, 7]);
    const cellTanh = resident(new Float32Array(12).fill(7));
    const output = resident(new Float32Array(12).fill(7));
    expect(lstmCellForwardResident(gates, 2, states, 2, states, 2, cellTanh, 4, output, 5, 2, hidden)).toBe(true);
    expect([gates[0], gates[1], gates[26], gates[27]]).toEqual([
      0,
      Math.fround(Math.sin(1)),
      Math.fround(Math.sin(26)),
      Math.fround(Math.sin(27)),
    ]);
    expect([states[0], states[1], states[8], states[9]]).toEqual([7, 7, 7, 7]);
    expect(Array.from(cellTanh.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    expect(Array.from(cellTanh.subarray(10))).toEqual([7, 7]);
    expect(Array.from(output.subarray(0, 5))).toEqual([7, 7, 7, 7, 7]);
    expect(output[11]).toBe(7);
    expected.results.forEach(({ c, spread, h, hiddenScale }, index) => {
      expectWithin(states[2 + index], c, spread, `c′ ${index}`);
      expectWithin(output[5 + index], h, hiddenScale, `h′ ${index}`);
    });
  });
});

/** The backward cell equations in float64 on the same float32 inputs, with the scale of each result. */
function backwardReference(values: {
  gates: Float32Array;
  previous: Float32Array;
  cellTanh: Float32Array;
  dh: Float32Array;
  dc: Float32Array;
  rows: number;
  hidden: number;
}) {
  const { gates, previous, cellTanh, dh, dc, rows, hidden } = values;
  const gateGradients: { value: number; scale: number }[] = new Array(rows * 4 * hidden);
  const cellGradients = Array.from({ length: rows * hidden }, (_, index) => {
    const a = Math.floor(index / hidden) * 4 * hidden + (index % hidden);
    const [i, f, g, o] = [0, 1, 2, 3].map((gate) => gates[a + gate * hidden]);
    const t = cellTanh[index];
    const fromHidden = dh[index] * o * (1 - t * t);
    const total = dc[index] + fromHidden;
    const spread = Math.abs(dc[index]) + Math.abs(fromHidden); // the error of d c is relative to this
    const slopes = [g * i * (1 - i), previous[index] * f * (1 - f), i * (1 - g * g)];
    slopes.forEach(
      (slope, gate) => (gateGradients[a + gate * hidden] = { value: total * slope, scale: spread * Math.abs(slope) }),
    );
    const output = dh[index] * t * o * (1 - o);
    gateGradients[a + 3 * hidden] = { value: output, scale: Math.abs(output) };
    return { value: total * f, scale: spread * Math.abs(f) };
  });
  return { gateGradients, cellGradients };
}

describe('lstmCellBackwardResident', () => {
  it('matches the float64 gradients of the cell to float32 ulps for any hidden size', () => {
    fc.assert(
      fc.property(
        rowCounts,
        hiddenSizes,
        fc.array(fc.tuple(unitInterval, unitInterval, signedUnitInterval, unitInterval), {
          minLength: 33,
          maxLength: 33,
        }),
        fc.array(fc.tuple(float32(5), signedUnitInterval, float32(3), float32(3)), { minLength: 33, maxLength: 33 }),
        (rows, hidden, gateTuples, stateTuples) => {
          const count = rows * hidden;
          const gateValues = new Float32Array(rows * 4 * hidden);
          for (let index = 0; index < count; index++)
            gateTuples[index].forEach((value, gate) => {
              gateValues[Math.floor(index / hidden) * 4 * hidden + gate * hidden + (index % hidden)] = value;
            });
          const column = (k: number) => resident(stateTuples.slice(0, count).map((tuple) => tuple[k]));
          const values = {
            gates: resident(gateValues),
            previous: column(0),
            cellTanh: column(1),
            dh: column(2),
            dc: column(3),
            rows,
            hidden,
          };
          const expected = backwardReference({ ...values, dc: values.dc.slice() });
          const gateGradients = resident(new Float32Array(rows * 4 * hidden));
          const { gates, previous, cellTanh, dh, dc } = values;
          expect(
            lstmCellBackwardResident(gates, 0, previous, 0, cellTanh, 0, dh, 0, dc, 0, gateGradients, 0, rows, hidden),
          ).toBe(true);
          expected.gateGradients.forEach(({ value, scale }, index) =>
            expectWithin(gateGradients[index], value, scale, `d gate ${index}`),
          );
          expected.cellGradients.forEach(({ value, scale }, index) =>
            expectWithin(dc[index], value, scale, `d c ${index}`),
          );
        },
      ),
    );
  });

  it('gives hand-derived gradients at saturation: i = 1, g = ±1, tanh c′ = ±1 stop the gradient through them exactly', () => {
    // H = 1. i = 1, f = 0.5, g = 1, o = 0.5, c = 2, tanh c′ = 1, d h′ = 3, d c′ = 2:
    // d c = 2 + 3·0.5·(1 − 1) = 2; d i = 2·1·1·0 = 0; d f = 2·2·0.5·0.5 = 1; d g = 2·1·(1 − 1) = 0;
    // d o = 3·1·0.5·0.5 = 0.75; d c·f = 1.
    const gates = resident([1, 0.5, 1, 0.5]);
    const dc = resident([2]);
    const gateGradients = resident([9, 9, 9, 9]);
    expect(
      lstmCellBackwardResident(
        gates,
        0,
        resident([2]),
        0,
        resident([1]),
        0,
        resident([3]),
        0,
        dc,
        0,
        gateGradients,
        0,
        1,
        1,
      ),
    ).toBe(true);
    expect(Array.from(gateGradients)).toEqual([0, 1, 0, 0.75]);
    expect(dc[0]).toBe(1);
  });
});

describe('the LSTM cell resident ops', () => {
  it('return false and leave the arrays alone on arrays that are not resident or on the TypeScript kernels', () => {
    const gates = new Float32Array([1, 2, 3, 4]);
    const state = () => new Float32Array([0.5]);
    expect(lstmCellForwardResident(gates, 0, state(), 0, state(), 0, state(), 0, state(), 0, 1, 1)).toBe(false);
    expect(Array.from(gates)).toEqual([1, 2, 3, 4]);
    const residentGates = resident([1, 2, 3, 4]);
    const previous = useKernels(jsKernels);
    try {
      const states = [0, 1, 2, 3].map(() => resident([0.5]));
      expect(
        lstmCellForwardResident(residentGates, 0, states[0], 0, states[1], 0, states[2], 0, states[3], 0, 1, 1),
      ).toBe(false);
      expect(
        lstmCellBackwardResident(
          residentGates,
          0,
          states[0],
          0,
          states[1],
          0,
          states[2],
          0,
          states[3],
          0,
          residentGates,
          0,
          1,
          1,
        ),
      ).toBe(false);
    } finally {
      useKernels(previous);
    }
    expect(Array.from(residentGates)).toEqual([1, 2, 3, 4]);
  });

  it('name the operation, the array and what was expected when a block does not fit or a size is not an integer', () => {
    const gates = resident(new Float32Array(8));
    const state = resident(new Float32Array(2));
    const forward = (rows: number, hidden: number, offset: number) => () =>
      lstmCellForwardResident(gates, 0, state, 0, state, 0, state, offset, state, 0, rows, hidden);
    expect(forward(2, 1, 1)).toThrow(AnnetError);
    expect(forward(2, 1, 1)).toThrow(
      /lstmCellForwardResident.*cellTanh: 2 rows of 1 floats from offset 1 do not fit an array of 2 elements/,
    );
    expect(forward(1.5, 1, 0)).toThrow(/lstmCellForwardResident.*got rows 1.5 and hiddenSize 1; expected integers/);
    expect(forward(1, 0, 0)).toThrow(/hiddenSize ≥ 1/);
    expect(() => lstmCellBackwardResident(gates, 1, state, 0, state, 0, state, 0, state, 0, gates, 0, 2, 1)).toThrow(
      /lstmCellBackwardResident.*gates: 2 rows of 4 floats from offset 1 do not fit an array of 8 elements/,
    );
  });
});
