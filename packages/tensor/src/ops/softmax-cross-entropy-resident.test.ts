import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setKernels } from '../kernels/kernel-info.js';
import { residentZeros } from '../resident.js';
import { softmaxCrossEntropyResident } from './softmax-cross-entropy-resident.js';

afterEach(() => {
  setKernels('auto');
});

function resident(values: ArrayLike<number>): Float32Array {
  const array = residentZeros([Math.max(1, values.length)], 'float32').data as Float32Array;
  array.set(values);
  return array;
}

/** The float64 definition: p = e^(z − m)/Σ e^(z − m), ℓ = −log p_y, gradient scale·(p − [c = y]); ignored rows 0. */
function reference(z: Float32Array, labels: Int32Array, rows: number, classes: number, scale: number, ignore: number) {
  const gradient = new Float64Array(rows * classes);
  const probabilities = new Float64Array(rows * classes);
  const losses: number[] = [];
  for (let row = 0; row < rows; row++) {
    if (labels[row] === ignore) continue;
    const values = Array.from(z.subarray(row * classes, (row + 1) * classes));
    const m = Math.max(...values);
    const s = values.reduce((sum, value) => sum + Math.exp(value - m), 0);
    losses.push(m + Math.log(s) - values[labels[row]]);
    values.forEach((value, c) => {
      const p = Math.exp(value - m) / s;
      probabilities[row * classes + c] = p;
      gradient[row * classes + c] = scale * (p - (c === labels[row] ? 1 : 0));
    });
  }
  return { gradient, probabilities, losses };
}

const ignore = -100;
const cases = fc
  .record({
    rows: fc.integer({ min: 0, max: 9 }),
    // 1 to 23 classes: no whole vector, whole vectors only, and every tail length.
    classes: fc.integer({ min: 1, max: 23 }),
    scale: fc.constantFrom(1, 1 / 3, 1 / 64),
  })
  .chain(({ rows, classes, scale }) =>
    fc.record({
      rows: fc.constant(rows),
      classes: fc.constant(classes),
      scale: fc.constant(scale),
      logits: fc.array(
        fc.oneof(
          { weight: 8, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }) },
          { weight: 1, arbitrary: fc.constantFrom(1e4, -1e4, 0, -0, 88.5, -104) },
        ),
        { minLength: rows * classes, maxLength: rows * classes },
      ),
      labels: fc.array(fc.oneof(fc.integer({ min: 0, max: classes - 1 }), fc.constant(ignore)), {
        minLength: rows,
        maxLength: rows,
      }),
      inPlace: fc.boolean(),
    }),
  );

describe('softmaxCrossEntropyResident (softmax cross-entropy in WebAssembly SIMD)', () => {
  it('is within float32 rounding of the float64 definition, loss and every gradient element; ignored rows are zeros', () => {
    fc.assert(
      fc.property(cases, ({ rows, classes, scale, logits, labels, inPlace }) => {
        const z = resident(logits);
        const input = Float32Array.from(z);
        const labelData = Int32Array.from(labels);
        const gradient = inPlace ? z : resident(new Float32Array(rows * classes).fill(7));
        const total = softmaxCrossEntropyResident(z, labelData, gradient, rows, classes, scale, ignore);
        expect(total).not.toBeNull();
        const exact = reference(input, labelData, rows, classes, scale, ignore);
        // ε = 2^−24. Per element: z − m rounds by |z − m|·ε, e^(·) (Cephes' expf) adds about 2ε,
        // the float32 sum of C terms at most C·ε, scale/s and the product one ε each: p's relative
        // error ≤ (4 + C + |z − m|)·ε; the − scale at the label rounds once more (scale·ε).
        // Below e^−87.3 the exponential is 0 (an absolute error under 1e−37).
        const epsilon = 2 ** -24;
        for (let row = 0; row < rows; row++) {
          const m = Math.max(...Array.from(input.subarray(row * classes, (row + 1) * classes)));
          for (let c = 0; c < classes; c++) {
            const at = row * classes + c;
            if (labelData[row] === ignore) {
              expect(Object.is(gradient[at], 0)).toBe(true);
              continue;
            }
            const p = exact.probabilities[at];
            const bound = scale * (p * (4 + classes + Math.abs(input[at] - m)) * epsilon + 2 * epsilon + 1e-37);
            expect(Math.abs(gradient[at] - exact.gradient[at])).toBeLessThanOrEqual(bound);
          }
        }
        // The loss: log s off by s's relative error ((2 + C)·ε), then each row rounded to float32.
        const expected = exact.losses.reduce((sum, loss) => sum + loss, 0);
        const lossBound = exact.losses.reduce(
          (sum, loss) => sum + (2 + classes) * epsilon + Math.abs(loss) * epsilon,
          0,
        );
        expect(Math.abs(total! - expected)).toBeLessThanOrEqual(lossBound + 1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('hand-derived: z = [0, ln 3] with label 1 gives p = [1/4, 3/4], loss log(4/3), gradient [1/4, −1/4]', () => {
    const z = resident([0, Math.log(3), 5, 5]);
    const gradient = resident(new Float32Array(4));
    // The second row, labelled −100, is ignored: zero gradient, nothing added.
    const total = softmaxCrossEntropyResident(z, Int32Array.from([1, -100]), gradient, 2, 2, 1, -100);
    expect(total).toBeCloseTo(Math.log(4 / 3), 6);
    expect(gradient[0]).toBeCloseTo(0.25, 6);
    expect(gradient[1]).toBeCloseTo(-0.25, 6);
    expect(Array.from(gradient.subarray(2))).toEqual([0, 0]);
  });

  it('propagates NaN: a NaN logit makes its row NaN and the total NaN', () => {
    const z = resident([0, Number.NaN, 1, 1, 2, 3]);
    const gradient = resident(new Float32Array(6));
    const total = softmaxCrossEntropyResident(z, Int32Array.from([0, 2]), gradient, 2, 3, 1);
    expect(total).toBeNaN();
    expect(Array.from(gradient.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(gradient.subarray(3)).every(Number.isFinite)).toBe(true);
  });

  it('returns null (writing nothing) for ordinary arrays or the TypeScript kernels, and refuses sizes that do not fit', () => {
    const gradient = resident([9, 9]);
    expect(softmaxCrossEntropyResident(Float32Array.from([1, 2]), Int32Array.from([0]), gradient, 1, 2, 1)).toBeNull();
    setKernels('typescript');
    expect(softmaxCrossEntropyResident(resident([1, 2]), Int32Array.from([0]), gradient, 1, 2, 1)).toBeNull();
    expect(Array.from(gradient)).toEqual([9, 9]);
    expect(() => softmaxCrossEntropyResident(resident([1, 2]), Int32Array.from([0]), gradient, 2, 2, 1)).toThrow(
      'softmaxCrossEntropyResident: 2 rows of 2 classes do not fit logits of 2, gradient of 2 and labels of 1 elements',
    );
    expect(() => softmaxCrossEntropyResident(resident([1]), Int32Array.from([0]), gradient, 1, 0, 1)).toThrow(
      'softmaxCrossEntropyResident: expected rows >= 0 and classes >= 1 (integers), got rows 1 and classes 0',
    );
  });
});
