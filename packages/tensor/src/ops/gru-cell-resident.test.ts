import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsKernels } from '../kernels/js-kernels.js';
import { useKernels } from '../kernels/kernel-selection.js';
import {
  expectWithin,
  float32,
  hiddenSizes,
  resident,
  rowCounts,
  sigmoid,
  signedUnitInterval,
  unitInterval,
} from '../testing/cell-fixtures.js';
import { gruCellBackwardResident, gruCellForwardResident } from './gru-cell-resident.js';

// Tolerances as in testing/cell-fixtures.ts: 8ε·scale (ε = 2⁻²³) + 2⁻¹²⁶, the scale of a
// result being the magnitudes it is made of. An activation's argument is a float32 sum (error
// ε·(sum of |terms|) each), which moves σ by σ(1 − σ) times that and tanh by (1 − tanh²) times
// that. The kernels stay within 4ε·scale over these properties (2ε·scale fails).

interface ForwardCase {
  gates: Float32Array;
  projection: Float32Array;
  bias: Float32Array;
  previous: Float32Array;
  rows: number;
  hidden: number;
}

/** The forward cell equations in float64 on the same float32 inputs, with the scale of each result. */
function forwardReference({ gates, projection, bias, previous, rows, hidden }: ForwardCase) {
  const gateResults: { value: number; scale: number }[] = new Array(rows * 3 * hidden);
  const projected: number[] = new Array(rows * 3 * hidden);
  const hiddenResults = Array.from({ length: rows * hidden }, (_, index) => {
    const a = Math.floor(index / hidden) * 3 * hidden + (index % hidden);
    const [hr, hz, hn] = [0, 1, 2].map(
      (gate) => projection[a + gate * hidden] + bias[(index % hidden) + gate * hidden],
    );
    const spreads = [0, 1, 2].map(
      (gate) => Math.abs(projection[a + gate * hidden]) + Math.abs(bias[(index % hidden) + gate * hidden]),
    );
    [hr, hz, hn].forEach((value, gate) => (projected[a + gate * hidden] = value));
    const r = sigmoid(gates[a] + hr);
    const z = sigmoid(gates[a + hidden] + hz);
    const rScale = r + r * (1 - r) * (Math.abs(gates[a]) + spreads[0]);
    const zScale = z + z * (1 - z) * (Math.abs(gates[a + hidden]) + spreads[1]);
    const n = Math.tanh(gates[a + 2 * hidden] + r * hn);
    const nArgumentScale = Math.abs(gates[a + 2 * hidden]) + r * spreads[2] + Math.abs(hn) * rScale;
    const nScale = Math.abs(n) + (1 - n * n) * nArgumentScale;
    gateResults[a] = { value: r, scale: rScale };
    gateResults[a + hidden] = { value: z, scale: zScale };
    gateResults[a + 2 * hidden] = { value: n, scale: nScale };
    const h = previous[index];
    return {
      value: (1 - z) * n + z * h,
      scale: Math.abs((1 - z) * n) + Math.abs(z * h) + zScale * Math.abs(h - n) + (1 - z) * nScale,
    };
  });
  return { gateResults, projected, hiddenResults };
}

describe('gruCellForwardResident', () => {
  it('matches the float64 cell equations to float32 ulps for any hidden size, saturating pre-activations included', () => {
    fc.assert(
      fc.property(
        rowCounts,
        hiddenSizes,
        fc.array(fc.tuple(fc.oneof(float32(12), float32(200)), float32(6)), { minLength: 99, maxLength: 99 }),
        fc.array(float32(2), { minLength: 33, maxLength: 33 }),
        fc.array(float32(1), { minLength: 33, maxLength: 33 }),
        (rows, hidden, gateTuples, biasValues, stateValues) => {
          const size = rows * 3 * hidden;
          const values: ForwardCase = {
            gates: resident(gateTuples.slice(0, size).map((tuple) => tuple[0])),
            projection: resident(gateTuples.slice(0, size).map((tuple) => tuple[1])),
            bias: resident(biasValues.slice(0, 3 * hidden)),
            previous: resident(stateValues.slice(0, rows * hidden)),
            rows,
            hidden,
          };
          const expected = forwardReference({ ...values, projection: values.projection.slice() });
          const output = resident(new Float32Array(rows * hidden));
          const { gates, projection, bias, previous } = values;
          expect(gruCellForwardResident(gates, 0, projection, 0, bias, 0, previous, 0, output, 0, rows, hidden)).toBe(
            true,
          );
          expected.projected.forEach((value, index) =>
            expect(projection[index], `projection ${index}`).toBe(Math.fround(value)),
          );
          expected.gateResults.forEach(({ value, scale }, index) =>
            expectWithin(gates[index], value, scale, `gate ${index}`),
          );
          expected.hiddenResults.forEach(({ value, scale }, index) =>
            expectWithin(output[index], value, scale, `h′ ${index}`),
          );
        },
      ),
    );
  });

  it('saturates exactly (z = 1 keeps h; z = 0 and n = ±1 give ±1) and propagates NaN from a gate or h', () => {
    // H = 5 (a vector of four and a tail of one). r pre-activations 0; z: −∞, +∞, −1e4, 1e4, NaN;
    // n: +∞, 0, −1e4, 0, 0; h = 0.25 everywhere, the projection and bias 0.
    const gates = resident([0, 0, 0, 0, 0, -Infinity, Infinity, -1e4, 1e4, NaN, Infinity, 0, -1e4, 0, 0]);
    const zeros = resident(new Float32Array(15));
    const output = resident(new Float32Array(5));
    const previous = resident([0.25, 0.25, 0.25, 0.25, 0.25]);
    expect(gruCellForwardResident(gates, 0, zeros, 0, zeros, 0, previous, 0, output, 0, 1, 5)).toBe(true);
    expect(Array.from(gates.subarray(5, 10), (value) => value)).toEqual([0, 1, 0, 1, NaN]);
    expect(Array.from(gates.subarray(10))).toEqual([1, 0, -1, 0, 0]);
    // h′ = (1 − z)·n + z·h: 1·1 + 0 = 1, 0·0 + 1·0.25, 1·(−1) + 0, 0 + 0.25, NaN.
    expect(Array.from(output)).toEqual([1, 0.25, -1, 0.25, NaN]);
  });
});

describe('gruCellBackwardResident', () => {
  it('matches the float64 gradients of the cell to float32 ulps for any hidden size', () => {
    fc.assert(
      fc.property(
        rowCounts,
        hiddenSizes,
        fc.array(fc.tuple(unitInterval, unitInterval, signedUnitInterval, float32(4)), {
          minLength: 33,
          maxLength: 33,
        }),
        fc.array(fc.tuple(signedUnitInterval, float32(3)), { minLength: 33, maxLength: 33 }),
        (rows, hidden, gateTuples, stateTuples) => {
          const count = rows * hidden;
          const gates = resident(new Float32Array(rows * 3 * hidden));
          const projection = resident(new Float32Array(rows * 3 * hidden));
          for (let index = 0; index < count; index++) {
            const a = Math.floor(index / hidden) * 3 * hidden + (index % hidden);
            [0, 1, 2].forEach((gate) => (gates[a + gate * hidden] = gateTuples[index][gate]));
            projection[a + 2 * hidden] = gateTuples[index][3];
            projection[a] = 99; // r's and z's projections are not read
          }
          const previous = resident(stateTuples.slice(0, count).map((tuple) => tuple[0]));
          const dh = resident(stateTuples.slice(0, count).map((tuple) => tuple[1]));
          const gateGradients = resident(new Float32Array(rows * 3 * hidden));
          const hiddenGateGradients = resident(new Float32Array(rows * 3 * hidden));
          const previousGradient = resident(new Float32Array(count));
          expect(
            gruCellBackwardResident(
              gates,
              0,
              projection,
              0,
              previous,
              0,
              dh,
              0,
              gateGradients,
              0,
              hiddenGateGradients,
              0,
              previousGradient,
              0,
              rows,
              hidden,
            ),
          ).toBe(true);
          for (let index = 0; index < count; index++) {
            const a = Math.floor(index / hidden) * 3 * hidden + (index % hidden);
            const [r, z, n] = [0, 1, 2].map((gate) => gates[a + gate * hidden]);
            const hn = projection[a + 2 * hidden];
            const an = dh[index] * (1 - z) * (1 - n * n);
            const ar = an * hn * r * (1 - r);
            const az = dh[index] * (previous[index] - n) * z * (1 - z);
            const azScale = Math.abs(dh[index]) * (Math.abs(previous[index]) + Math.abs(n)) * z * (1 - z);
            const expected = [
              [gateGradients[a], ar, Math.abs(ar)],
              [gateGradients[a + hidden], az, azScale],
              [gateGradients[a + 2 * hidden], an, Math.abs(an)],
              [hiddenGateGradients[a], ar, Math.abs(ar)],
              [hiddenGateGradients[a + hidden], az, azScale],
              [hiddenGateGradients[a + 2 * hidden], an * r, Math.abs(an * r)],
              [previousGradient[index], dh[index] * z, Math.abs(dh[index] * z)],
            ];
            expected.forEach(([actual, value, scale], k) =>
              expectWithin(actual, value, scale, `${k} of unit ${index}`),
            );
          }
        },
      ),
    );
  });
});

describe('the GRU cell resident ops', () => {
  it('return false on the TypeScript kernels and name the operation and array when a block does not fit', () => {
    const block = resident(new Float32Array(6));
    const previous = useKernels(jsKernels);
    try {
      expect(gruCellForwardResident(block, 0, block, 0, block, 0, block, 0, block, 0, 2, 1)).toBe(false);
    } finally {
      useKernels(previous);
    }
    expect(() => gruCellForwardResident(block, 0, block, 0, block, 4, block, 0, block, 0, 2, 1)).toThrow(
      /gruCellForwardResident.*bias: 1 rows of 3 floats from offset 4 do not fit an array of 6 elements/,
    );
    expect(() =>
      gruCellBackwardResident(block, 0, block, 0, block, 0, block, 0, block, 0, block, 1, block, 0, 2, 1),
    ).toThrow(/gruCellBackwardResident.*hiddenGateGradients: 2 rows of 3 floats from offset 1 do not fit/);
  });
});
