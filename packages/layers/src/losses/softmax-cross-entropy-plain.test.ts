import fc from 'fast-check';
import { createRng, logSoftmax, residentZeros, softmaxCrossEntropyResident, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { plainLabelRows } from './softmax-cross-entropy-plain.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

type FloatArray = Float32Array | Float64Array;

/**
 * The two-pass version the fused rows replaced: the logSoftmax op into the gradient buffer, then
 * per row the loss −log p_y and the gradient scale·e^(log p) − scale·[c = y].
 */
function twoPasses(logits: Tensor, labels: Int32Array, scale: number): { total: number; gradient: FloatArray } {
  const [rows, classes] = logits.shape;
  const logProbabilities = logSoftmax(logits, -1).data as FloatArray;
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const start = row * classes;
    total -= logProbabilities[start + labels[row]];
    for (let index = start; index < start + classes; index++)
      logProbabilities[index] = scale * Math.exp(logProbabilities[index]);
    logProbabilities[start + labels[row]] -= scale;
  }
  return { total, gradient: logProbabilities };
}

/** The values with −0 spelled out, since toEqual takes −0 for +0. */
function bits(values: ArrayLike<number>): (number | string)[] {
  return Array.from(values, (value) => (Object.is(value, -0) ? '-0' : value));
}

const logitArbitrary = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(1e4, -1e4, 0, -0, 88.5, -104) },
);

const caseArbitrary = fc
  .record({
    rows: fc.integer({ min: 1, max: 7 }),
    classes: fc.integer({ min: 1, max: 12 }),
    dtype: fc.constantFrom('float32' as const, 'float64' as const),
    scale: fc.constantFrom(1, 1 / 3, 1 / 64),
  })
  .chain(({ rows, classes, dtype, scale }) =>
    fc.record({
      rows: fc.constant(rows),
      classes: fc.constant(classes),
      dtype: fc.constant(dtype),
      scale: fc.constant(scale),
      logits: fc.array(logitArbitrary, { minLength: rows * classes, maxLength: rows * classes }),
      labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: rows, maxLength: rows }),
    }),
  );

/**
 * The float64 reference, written from the definition: p = e^(z − m)/Σe^(z − m), loss −log p_y,
 * gradient scale·(p − onehot(y)).
 */
function reference(logits: ArrayLike<number>, labels: Int32Array, classes: number, scale: number) {
  const probabilities = new Float64Array(logits.length);
  const gradient = new Float64Array(logits.length);
  let total = 0;
  for (let row = 0; row < labels.length; row++) {
    const z = Array.from({ length: classes }, (_, c) => logits[row * classes + c]);
    const m = Math.max(...z);
    const s = z.reduce((sum, value) => sum + Math.exp(value - m), 0);
    total += Math.log(s) + m - z[labels[row]];
    z.forEach((value, c) => {
      const p = Math.exp(value - m) / s;
      probabilities[row * classes + c] = p;
      gradient[row * classes + c] = scale * (p - (c === labels[row] ? 1 : 0));
    });
  }
  return { total, probabilities, gradient };
}

describe('plainLabelRows (softmax cross-entropy in one pass per row)', () => {
  it('gives the loss of logSoftmax followed by the gradient loop bit for bit and its gradient within float rounding; both near the float64 definitions', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ rows, classes, dtype, scale, logits, labels }) => {
        const data = dtype === 'float32' ? Float32Array.from(logits) : Float64Array.from(logits);
        const labelData = Int32Array.from(labels);
        const old = twoPasses(new Tensor(data, [rows, classes]), labelData, scale);
        const exact = reference(data, labelData, classes, scale);
        // Offsets of 1 and 2 into larger buffers: the rows must be read and written from there.
        const padded = new (data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(data.length + 1);
        padded.set(data, 1);
        const gradient = new (data.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(data.length + 2);
        const total = plainLabelRows(padded, 1, labelData, 0, gradient, 2, rows, classes, scale);
        // ε: the dtype's unit roundoff. The loss is the two-pass version's bit for bit (each log p_y
        // rounded to the dtype, then summed in float64 in row order), so within Σ|log p_y|·ε (= the
        // loss times ε) of the float64 definition.
        const epsilon = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
        expect(total).toBe(old.total);
        const slack = 1e-12 * Math.max(1, Math.abs(exact.total));
        expect(Math.abs(total - exact.total)).toBeLessThanOrEqual(epsilon * exact.total + slack);
        gradient.subarray(2).forEach((value, index) => {
          // Float64 subtractions round to |z|·2^−53 (M: the row's largest |z|), which e^(·) turns into
          // a relative error of p; then one rounding to the dtype (two at the label: the − scale).
          const p = exact.probabilities[index];
          const row = Math.floor(index / classes);
          const largest = Math.max(...Array.from(data.subarray(row * classes, (row + 1) * classes), Math.abs));
          const float64Error = 8 * 2 ** -53 * (1 + p * largest);
          expect(Math.abs(value - exact.gradient[index])).toBeLessThanOrEqual(scale * (float64Error + 2 * epsilon));
          // The old way exponentiated log p rounded to the dtype: p·|log p|·ε more.
          const logP = p > 0 ? Math.abs(Math.log(p)) : 0;
          expect(Math.abs(value - old.gradient[index])).toBeLessThanOrEqual(
            scale * (2 * float64Error + epsilon * (4 + 2 * p * logP)),
          );
        });
      }),
      { seed: 30, numRuns: 400 },
    );
  });

  it('works in place, with the gradient written over the logits', () => {
    // z = [0, ln 3] (float64), label 1: p = [1/4, 3/4], ℓ = −log(3/4) = log(4/3); gradient [1/4, −1/4].
    const logits = Float64Array.from([0, Math.log(3)]);
    const total = plainLabelRows(logits, 0, [1], 0, logits, 0, 1, 2, 1);
    expect(total).toBeCloseTo(Math.log(4 / 3), 15);
    expect(logits[0]).toBeCloseTo(0.25, 15);
    expect(logits[1]).toBeCloseTo(-0.25, 15);
  });

  it("is what softmaxCrossEntropy runs for labels without options, with 'mean' and 'sum'", () => {
    // Two rows of equal logits over 4 classes: ℓ = log 4 each, p = 1/4; 'mean' scales by 1/2.
    const logits = new Tensor(new Float32Array(8), [2, 4]);
    const labels = new Tensor(Int32Array.from([0, 3]), [2]);
    const mean = softmaxCrossEntropy(logits, labels);
    expect(mean.loss).toBeCloseTo(Math.log(4), 6);
    expect(Array.from(mean.gradient.data)).toEqual([-0.375, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375]);
    const total = softmaxCrossEntropy(logits, labels, { reduction: 'sum' });
    expect(total.loss).toBeCloseTo(2 * Math.log(4), 6);
    expect(Array.from(total.gradient.data)).toEqual([-0.75, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, -0.75]);
  });

  it('with an ignore index: ignored rows get a zero gradient and count for nothing; the others are the rows without them, bit for bit', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        fc.integer({ min: 0, max: 2 ** 30 }),
        ({ rows, classes, dtype, logits, labels }, pick) => {
          const ignoreIndex = -100;
          // Ignore the rows whose bit is set in `pick`, keeping at least one.
          const ignored = labels.map((_, row) => row > 0 && ((pick >> row) & 1) === 1);
          const make = (values: number[]) =>
            dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
          const withIgnored = softmaxCrossEntropy(
            new Tensor(make(logits), [rows, classes]),
            new Tensor(
              Int32Array.from(labels, (label, row) => (ignored[row] ? ignoreIndex : label)),
              [rows],
            ),
            { ignoreIndex },
          );
          const keptRows = labels.map((_, row) => row).filter((row) => !ignored[row]);
          const kept = softmaxCrossEntropy(
            new Tensor(make(keptRows.flatMap((row) => logits.slice(row * classes, (row + 1) * classes))), [
              keptRows.length,
              classes,
            ]),
            new Tensor(
              Int32Array.from(keptRows, (row) => labels[row]),
              [keptRows.length],
            ),
          );
          expect(withIgnored.loss).toBe(kept.loss);
          const expected: number[] = [];
          for (let row = 0, next = 0; row < rows; row++) {
            if (ignored[row]) expected.push(...new Array<number>(classes).fill(0));
            else expected.push(...Array.from(kept.gradient.data.subarray(next * classes, ++next * classes)));
          }
          expect(bits(withIgnored.gradient.data)).toEqual(bits(expected));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with an ignore index: names it in a bad label error, and a mean over no counted row is an error', () => {
    const logits = new Tensor(new Float32Array(6), [2, 3]);
    expect(() =>
      softmaxCrossEntropy(logits, new Tensor(Int32Array.from([3, -100]), [2]), { ignoreIndex: -100 }),
    ).toThrow('softmaxCrossEntropy: label 3 at row 0 is not a class index in [0, 3) or the ignoreIndex -100');
    expect(() =>
      softmaxCrossEntropy(logits, new Tensor(Int32Array.from([-100, -100]), [2]), { ignoreIndex: -100 }),
    ).toThrow(
      "softmaxCrossEntropy: reduction 'mean' divides by the number of positions not ignored or masked, which is 0",
    );
    // 'sum' over ignored rows only: loss 0, gradient 0 (equal logits would give ±1/3 if counted).
    const sum = softmaxCrossEntropy(logits, new Tensor(Int32Array.from([-100, -100]), [2]), {
      ignoreIndex: -100,
      reduction: 'sum',
    });
    expect(sum.loss).toBe(0);
    expect(Array.from(sum.gradient.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('softmaxCrossEntropy on resident float32 logits (the WebAssembly SIMD sweep)', () => {
  it('agrees with the TypeScript loop within float32 rounding, with and without an ignore index', () => {
    const rng = createRng(12);
    for (const [rows, classes, ignoreIndex] of [
      [768, 85, undefined],
      [64, 190, -100],
      [5, 3, -1],
    ] as const) {
      const values = Float32Array.from({ length: rows * classes }, () => 8 * (rng.uniform() - 0.5));
      const labels = Int32Array.from({ length: rows }, (_, row) =>
        ignoreIndex !== undefined && row % 4 === 1 ? ignoreIndex : Math.floor(rng.uniform() * classes),
      );
      const options = ignoreIndex === undefined ? {} : { ignoreIndex };
      const logits = residentZeros([rows, classes], 'float32');
      (logits.data as Float32Array).set(values);
      const out = residentZeros([rows, classes], 'float32');
      // The precondition: these arrays take the SIMD sweep (a scratch call on copies).
      expect(
        softmaxCrossEntropyResident(
          residentZeros([rows, classes], 'float32').data as Float32Array,
          labels.map((label) => (label === ignoreIndex ? 0 : label)),
          residentZeros([rows, classes], 'float32').data as Float32Array,
          rows,
          classes,
          1,
        ),
      ).not.toBeNull();
      const simd = softmaxCrossEntropy(logits, new Tensor(labels, [rows]), { ...options, out });
      const loop = softmaxCrossEntropy(
        new Tensor(values.slice(), [rows, classes]),
        new Tensor(labels, [rows]),
        options,
      );
      expect(simd.gradient).toBe(out);
      // |Δloss| ≤ mean over rows of (C + 2)·2^−24 + |ℓ|·2^−23; |Δgradient| ≤ scale·(p·(4 + C + 8) + 4)·2^−24.
      expect(Math.abs(simd.loss - loop.loss)).toBeLessThanOrEqual((classes + 2 + 2 * Math.abs(loop.loss)) * 2 ** -23);
      const scale = 1 / labels.filter((label) => label !== ignoreIndex).length;
      loop.gradient.data.forEach((value, index) => {
        const p = Math.abs(value) / scale;
        expect(Math.abs(simd.gradient.data[index] - value)).toBeLessThanOrEqual(
          scale * (p * (12 + classes) + 4) * 2 ** -24,
        );
      });
    }
  });
});
