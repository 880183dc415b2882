import fc from 'fast-check';
import { Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { GELU } from './gelu.js';
import { geluTanhExact, geluTanhFloat32, tanhFloat32 } from './gelu-tanh.js';

const float32Epsilon = 2 ** -23;

describe('tanh GELU kernels', () => {
  it('tanhFloat32 is within 3 float32 ulps (relative, 1e-37 absolute) of Math.tanh, odd, and ±1 far out', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (u) => {
        const exact = Math.tanh(u);
        expect(Math.abs(tanhFloat32(u) - exact)).toBeLessThanOrEqual(3 * float32Epsilon * Math.abs(exact) + 1e-37);
        expect(tanhFloat32(-u)).toBe(-tanhFloat32(u));
      }),
      { numRuns: 2000 },
    );
    expect(Math.fround(tanhFloat32(1e6))).toBe(1);
    expect(Math.fround(tanhFloat32(-Infinity))).toBe(-1);
    expect(tanhFloat32(Number.NaN)).toBeNaN();
  });

  it('the float32 loop matches the Math.tanh reference (value and slope) to float32 rounding', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -12, max: 12, noNaN: true }), { minLength: 1, maxLength: 64 }), (values) => {
        const input = Float32Array.from([7, ...values]); // offset 1: the loop must honour inputOffset
        const size = values.length;
        const [output, slope] = [new Float32Array(size), new Float32Array(size)];
        const [expected, expectedSlope] = [new Float64Array(size), new Float64Array(size)];
        geluTanhFloat32(input, 1, output, slope, size);
        geluTanhExact(Float64Array.from(input), 1, expected, expectedSlope, size);
        for (let index = 0; index < size; index++) {
          // |y| ≤ |x| and the slope is O(1): errors relative to max(1, |x|) of a few float32 ulps.
          const scale = Math.max(1, Math.abs(input[index + 1]));
          expect(Math.abs(output[index] - expected[index])).toBeLessThanOrEqual(4 * float32Epsilon * scale);
          expect(Math.abs(slope[index] - expectedSlope[index])).toBeLessThanOrEqual(8 * float32Epsilon * scale);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('GELU(1) = 0.8411919906 in float32 with the tanh form (½(1 + tanh(√(2/π)·1.044715)))', () => {
    // √(2/π)·1.044715 = 0.8335594; tanh of it = 0.6823840; ½(1 + 0.6823840) = 0.8411920.
    const output = new GELU({ approximate: 'tanh' }).forward(new Tensor(Float32Array.from([1]), [1, 1]));
    expect(output.data[0]).toBeCloseTo(0.8411919906, 6);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: backward after a training forward (kept slope) equals backward after an inference forward (recomputed)`, () => {
      const values = Array.from({ length: 48 }, (_, index) => 4 * Math.sin(1.7 * index + 0.3));
      const input = new Tensor(dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values), [6, 8]);
      const gradient = new Tensor(
        dtype === 'float32'
          ? Float32Array.from(values, (value) => Math.cos(value))
          : Float64Array.from(values, (value) => Math.cos(value)),
        [6, 8],
      );
      for (const approximate of ['tanh', 'none'] as const) {
        const training = new GELU({ approximate, dtype });
        const trainingOutput = Array.from(training.forward(input, { training: true }).data);
        const kept = Array.from(training.backward(gradient).data);
        const inference = new GELU({ approximate, dtype });
        const inferenceOutput = Array.from(inference.forward(input, { training: false }).data);
        const recomputed = Array.from(inference.backward(gradient).data);
        expect(trainingOutput).toEqual(inferenceOutput);
        expect(kept).toEqual(recomputed);
        // And a later inference forward on other values does not leave a stale slope behind.
        training.forward(gradient, { training: false });
        const fresh = new GELU({ approximate, dtype });
        fresh.forward(gradient, { training: false });
        expect(Array.from(training.backward(input).data)).toEqual(Array.from(fresh.backward(input).data));
      }
    });
  }
});
