import fc from 'fast-check';
import { createRng } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { dropWithMask } from './dropout-mask.js';

describe('dropWithMask (inverted dropout from bulk random draws)', () => {
  it('makes the decisions of one rng.uniform() < keep per element, the same mask and product bits, and leaves the same rng state', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 700 }),
        fc.constantFrom(0.5, 0.75, 0.9, 1 - 1e-9, 2 ** -20),
        fc.constantFrom('float32' as const, 'float64' as const),
        (seed, size, keep, dtype) => {
          const make = (length: number) => (dtype === 'float32' ? new Float32Array(length) : new Float64Array(length));
          const input = make(size + 2);
          for (let index = 0; index < input.length; index++) input[index] = Math.sin(index) * 10;
          const mask = make(size).fill(-1);
          const output = make(size).fill(-1);
          const bulk = createRng(seed);
          dropWithMask(bulk, keep, input, 2, mask, output, size);
          // The reference: the loop Dropout ran before, one draw per element.
          const single = createRng(seed);
          const expectedMask = make(size);
          const expectedOutput = make(size);
          for (let index = 0; index < size; index++) {
            const factor = single.uniform() < keep ? 1 / keep : 0;
            expectedMask[index] = factor;
            expectedOutput[index] = factor * input[2 + index];
          }
          expect(Array.from(mask)).toEqual(Array.from(expectedMask));
          expect(Array.from(output)).toEqual(Array.from(expectedOutput));
          expect(bulk.state()).toEqual(single.state());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps everything at keep 1 − 2⁻³² and nearly nothing at keep 2⁻³² (hand-derived thresholds)', () => {
    // keep·2³² = 2³² − 1: every word but 2³² − 1 itself is below it; at 2⁻³² only the word 0 is.
    const size = 1000;
    const input = new Float64Array(size).fill(1);
    const mask = new Float64Array(size);
    const output = new Float64Array(size);
    dropWithMask(createRng(5), 1 - 2 ** -32, input, 0, mask, output, size);
    expect(mask.every((value) => value === 1 / (1 - 2 ** -32))).toBe(true);
    dropWithMask(createRng(5), 2 ** -32, input, 0, mask, output, size);
    expect(mask.every((value) => value === 0)).toBe(true);
  });
});
