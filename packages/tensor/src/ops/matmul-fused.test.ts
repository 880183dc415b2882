import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { tensor, zeros } from '../create.js';
import { createRng, randomNormal } from '../random.js';
import { add } from './elementwise-binary.js';
import { relu } from './unary.js';
import { AnnetError } from '../errors.js';
import { activeKernels, useKernels } from '../kernels/kernel-selection.js';
import { jsKernels } from '../kernels/js-kernels.js';
import type { Kernels, MatmulActivation, MatmulArguments } from '../kernels/kernels.js';
import { Tensor } from '../tensor.js';
import { elementsOf, layoutArbitrary, tensorWithLayout, valuesFor } from '../testing/arbitraries.js';
import { matmul } from './matmul.js';

afterEach(() => {
  useKernels(null);
});

interface FusedProblem {
  batchA: number[];
  /** Batch axes of b; empty means one b shared by every batch (the folded Dense case). */
  batchB: number[];
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  withBias: boolean;
  relu: boolean;
}

/**
 * The definition, element by element: Σ_p a·b over plain arrays, + bias[j], then max(0, ·)
 * (written with a branch: NaN never occurs here). Values are multiples of 1/4 in [−4, 4.75]
 * (valuesFor), so every product and sum is exact in float32 too and any summation order gives
 * the same bits: the comparison can be exact on every backend.
 */
function referenceFused(p: FusedProblem, aValues: number[], bValues: number[], biasValues: number[]): number[] {
  const batch = p.batchA.length >= p.batchB.length ? p.batchA : p.batchB;
  const batchSize = batch.reduce((x, y) => x * y, 1);
  const result: number[] = [];
  for (let index = 0; index < batchSize; index++) {
    const aBase = (p.batchA.length === 0 ? 0 : index) * p.m * p.k;
    const bBase = (p.batchB.length === 0 ? 0 : index) * p.k * p.n;
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let sum = 0;
        for (let q = 0; q < p.k; q++) {
          // a is stored [m, k], or [k, m] when transposeA; b [k, n], or [n, k] when transposeB.
          const aElement = p.transposeA ? aValues[aBase + q * p.m + i] : aValues[aBase + i * p.k + q];
          const bElement = p.transposeB ? bValues[bBase + j * p.k + q] : bValues[bBase + q * p.n + j];
          sum += aElement * bElement;
        }
        if (p.withBias) sum += biasValues[j];
        result.push(p.relu && !(sum > 0) ? 0 : sum);
      }
    }
  }
  return result;
}

// Sizes up to 19 cover the kernels' edges: not multiples of the 8-column panels or of the row
// blocks (4 or 5), and sizes below one tile.
const size = fc.integer({ min: 1, max: 19 });
const problemArbitrary = fc.record({
  batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
  sharedB: fc.boolean(),
  m: size,
  n: size,
  k: size,
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  withBias: fc.boolean(),
  relu: fc.boolean(),
  layoutA: layoutArbitrary,
  layoutB: layoutArbitrary,
  layoutOut: fc.option(layoutArbitrary),
  dtype: fc.constantFrom('float32' as const, 'float64' as const),
  seed: fc.nat(),
});

type RandomProblem = typeof problemArbitrary extends fc.Arbitrary<infer P> ? P : never;

/** Runs one random fused problem through matmul and compares it with the definition, exactly. */
function checkAgainstReference(problem: RandomProblem): void {
  const { batch, sharedB, m, n, k, transposeA, transposeB, withBias, relu, layoutA, layoutB, layoutOut, dtype, seed } =
    problem;
  const p: FusedProblem = {
    batchA: batch,
    batchB: sharedB ? [] : batch,
    m,
    n,
    k,
    transposeA,
    transposeB,
    withBias,
    relu,
  };
  const shapeA = [...p.batchA, ...(transposeA ? [k, m] : [m, k])];
  const shapeB = [...p.batchB, ...(transposeB ? [n, k] : [k, n])];
  const aValues = valuesFor(
    dtype,
    shapeA.reduce((x, y) => x * y, 1),
    seed,
  );
  const bValues = valuesFor(
    dtype,
    shapeB.reduce((x, y) => x * y, 1),
    seed + 1,
  );
  const biasValues = valuesFor(dtype, n, seed + 2);
  const a = tensorWithLayout(aValues, shapeA, dtype, layoutA) as Tensor<'float32'>;
  const b = tensorWithLayout(bValues, shapeB, dtype, layoutB) as Tensor<'float32'>;
  const bias = withBias ? tensorWithLayout(biasValues, [n], dtype, 'offset') : undefined;
  const outShape = [...batch, m, n];
  // A dirty out (every element 7) exposes elements the fused path would skip or accumulate into.
  const out =
    layoutOut === null
      ? undefined
      : tensorWithLayout(new Array<number>(outShape.reduce((x, y) => x * y, 1)).fill(7), outShape, dtype, layoutOut);
  const result = matmul(a, b, { transposeA, transposeB, bias, activation: relu ? 'relu' : 'linear', out });
  if (out !== undefined) expect(result).toBe(out);
  expect(result.shape).toEqual(outShape);
  expect(elementsOf(result)).toEqual(referenceFused(p, aValues, bValues, biasValues));
}

describe('matmul with bias and activation', () => {
  it('adds the bias to every row, then applies ReLU (hand-derived)', () => {
    // a·b = [[1,2],[3,4]]·[[1,−1],[0,1]] = [[1·1+2·0, 1·(−1)+2·1], [3·1+4·0, 3·(−1)+4·1]] = [[1,1],[3,1]].
    // + bias [−2, 0.5] = [[−1, 1.5], [1, 1.5]]; relu → [[0, 1.5], [1, 1.5]].
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      for (const dtype of ['float32', 'float64'] as const) {
        const a = tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype },
        );
        const b = tensor(
          [
            [1, -1],
            [0, 1],
          ],
          { dtype },
        );
        const bias = tensor([-2, 0.5], { dtype });
        expect(matmul(a, b, { bias }).toArray()).toEqual([
          [-1, 1.5],
          [1, 1.5],
        ]);
        expect(matmul(a, b, { bias, activation: 'relu' }).toArray()).toEqual([
          [0, 1.5],
          [1, 1.5],
        ]);
        // relu without bias: [[1,1],[3,1]] has no negatives, so take −a: [[−1,−1],[−3,−1]] → zeros.
        expect(matmul(a, b, { activation: 'relu' }).toArray()).toEqual([
          [1, 1],
          [3, 1],
        ]);
        expect(
          matmul(
            tensor(
              [
                [-1, -2],
                [-3, -4],
              ],
              { dtype },
            ),
            b,
            { activation: 'relu' },
          ).toArray(),
        ).toEqual([
          [0, 0],
          [0, 0],
        ]);
        expect(matmul(a, b, { activation: 'linear' }).toArray()).toEqual([
          [1, 1],
          [3, 1],
        ]);
      }
    }
  });

  it('broadcasts the bias over every row of every batch (hand-derived)', () => {
    // Batch 0: [[1, 0]]·I = [[1, 0]]; batch 1: [[0, −2]]·I = [[0, −2]]. + bias [0.5, 1] → [[1.5, 1]] and
    // [[0.5, −1]]; relu → [[1.5, 1]] and [[0.5, 0]].
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      const a = tensor([[[1, 0]], [[0, -2]]]);
      const identity = tensor([
        [1, 0],
        [0, 1],
      ]);
      expect(matmul(a, identity, { bias: tensor([0.5, 1]), activation: 'relu' }).toArray()).toEqual([
        [[1.5, 1]],
        [[0.5, 0]],
      ]);
      const batchedB = tensor([
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ]);
      expect(matmul(a, batchedB, { bias: tensor([0.5, 1]), activation: 'relu' }).toArray()).toEqual([
        [[1.5, 1]],
        [[0.5, 0]],
      ]);
    }
  });

  it('maps −0 and negative values to +0 and keeps NaN under ReLU, on both kernel sets', () => {
    // [[−1, NaN]]ᵀ-free case: a = [[−1], [NaN], [2]] (3×1), b = [[0, 1]] (1×2):
    // a·b = [[−0, −1], [NaN, NaN], [0, 2]]; relu → [[+0, +0], [NaN, NaN], [+0, 2]].
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      for (const dtype of ['float32', 'float64'] as const) {
        const y = matmul(tensor([[-1], [Number.NaN], [2]], { dtype }), tensor([[0, 1]], { dtype }), {
          activation: 'relu',
        });
        const values = Array.from(y.data);
        expect(Object.is(values[0], 0)).toBe(true);
        expect(Object.is(values[1], 0)).toBe(true);
        expect(values[2]).toBeNaN();
        expect(values[3]).toBeNaN();
        expect(values.slice(4)).toEqual([0, 2]);
        const withBias = matmul(tensor([[-1], [Number.NaN], [2]], { dtype }), tensor([[0, 1]], { dtype }), {
          activation: 'relu',
          bias: tensor([-0, 0], { dtype }),
        });
        expect(Array.from(withBias.data).map((value) => (Object.is(value, -0) ? '-0' : value))).toEqual([
          0,
          0,
          Number.NaN,
          Number.NaN,
          0,
          2,
        ]);
      }
    }
  });

  it('writes the bias alone when the inner dimension is empty, even into a dirty out', () => {
    // k = 0: the product is all zeros, so out = act(0 + bias) = relu([−1, 3]) per row = [0, 3].
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      const out = tensor([
        [9, 9],
        [9, 9],
      ]);
      matmul(zeros([2, 0]), zeros([0, 2]), { bias: tensor([-1, 3]), activation: 'relu', out });
      expect(out.toArray()).toEqual([
        [0, 3],
        [0, 3],
      ]);
    }
  });

  it('matches the definition over random shapes, batches, transposes and layouts on the TypeScript kernels', () => {
    useKernels(jsKernels);
    fc.assert(fc.property(problemArbitrary, checkAgainstReference), { numRuns: 80 });
  });

  it('matches the definition over random shapes, batches, transposes and layouts on the automatically selected kernels (WebAssembly where it runs)', () => {
    useKernels(null);
    const selected = activeKernels();
    const fused = selected.matmulBiasActivationFloat32;
    // Count the fused kernel's calls, to be sure the property exercised it where it exists.
    let fusedCalls = 0;
    if (fused !== undefined) {
      useKernels({
        ...selected,
        matmulBiasActivationFloat32: (args, bias, biasOffset, activation) => {
          fusedCalls++;
          fused.call(selected, args, bias, biasOffset, activation);
        },
      });
    }
    fc.assert(fc.property(problemArbitrary, checkAgainstReference), { numRuns: 80 });
    if (fused !== undefined) expect(fusedCalls).toBeGreaterThan(0);
  });

  it('gives the same bits as the separate matmul, add and relu ops on random normal data (float32 and float64, both kernel sets)', () => {
    // Adding the bias to the rounded product is one rounding either way, so fusing changes no bit.
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      for (const dtype of ['float32', 'float64'] as const) {
        const rng = createRng(17);
        const x = randomNormal([2, 33, 70], rng, { dtype });
        const w = randomNormal([70, 45], rng, { dtype });
        const bias = randomNormal([45], rng, { dtype });
        expect(matmul(x, w, { bias, activation: 'relu' }).data).toEqual(relu(add(matmul(x, w), bias)).data);
        expect(matmul(x, w, { bias }).data).toEqual(add(matmul(x, w), bias).data);
      }
    }
  });

  it('reads a strided bias view', () => {
    // bias = [1, ·, 2, ·, 3][::2] = [1, 2, 3]; [[1, 1]]·[[1, 0, −4], [0, 1, 0]] = [[1, 1, −4]] → + bias = [[2, 3, −1]].
    for (const kernels of [jsKernels, null]) {
      useKernels(kernels);
      const bias = tensor([1, 100, 2, 100, 3]).slice([null, null, 2]);
      expect(
        matmul(
          tensor([[1, 1]]),
          tensor([
            [1, 0, -4],
            [0, 1, 0],
          ]),
          { bias },
        ).toArray(),
      ).toEqual([[2, 3, -1]]);
    }
  });
});

describe('matmul bias and activation routing', () => {
  /** The reference kernels plus a fused float32 kernel that records its calls (and computes through the reference). */
  function recordingKernels(): {
    kernels: Kernels;
    calls: Array<{ accumulate: boolean; activation: MatmulActivation; biasOffset: number; m: number }>;
  } {
    const calls: Array<{ accumulate: boolean; activation: MatmulActivation; biasOffset: number; m: number }> = [];
    const kernels: Kernels = {
      name: 'recording',
      matmulFloat32: jsKernels.matmulFloat32,
      matmulFloat64: jsKernels.matmulFloat64,
      matmulBiasActivationFloat32(
        args: MatmulArguments<Float32Array>,
        bias: Float32Array,
        biasOffset: number,
        activation: MatmulActivation,
      ) {
        calls.push({ accumulate: args.accumulate, activation, biasOffset, m: args.m });
        jsKernels.matmulFloat32(args);
        for (let i = 0; i < args.m; i++) {
          for (let j = 0; j < args.n; j++) {
            const index = args.outOffset + i * args.ldc + j;
            const value = args.out[index] + bias[biasOffset + j];
            args.out[index] = activation === 'relu' ? Math.max(value, 0) : value;
          }
        }
      },
    };
    return { kernels, calls };
  }

  it('sends float32 products with a bias to the fused kernel, never accumulating, once for a folded batch', () => {
    const { kernels, calls } = recordingKernels();
    useKernels(kernels);
    const bias = new Tensor(new Float32Array([0, 0, 0.5, -1]), [2], undefined, 2);
    // [2, 3, 2] × [2, 2] folds into one [6, 2] × [2, 2] product.
    const x = tensor([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [-1, -2],
        [-3, -4],
        [-5, -6],
      ],
    ]);
    const w = tensor([
      [1, 0],
      [0, 1],
    ]);
    const y = matmul(x, w, { bias, activation: 'relu' });
    expect(calls).toEqual([{ accumulate: false, activation: 'relu', biasOffset: 2, m: 6 }]);
    // x·I + [0.5, −1] = x + [0.5, −1], then relu: [[1.5,1],[3.5,3],[5.5,5]] and zeros for the negative batch.
    expect(y.toArray()).toEqual([
      [
        [1.5, 1],
        [3.5, 3],
        [5.5, 5],
      ],
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    ]);
    matmul(x, w, { bias });
    expect(calls[1].activation).toBe('none');
  });

  it('uses the plain product and the reference epilogue for float64 and for ReLU without bias', () => {
    const { kernels, calls } = recordingKernels();
    useKernels(kernels);
    // [[1, −2]]·I + [1, 1] = [[2, −1]] → relu [[2, 0]].
    expect(
      matmul(
        tensor([[1, -2]], { dtype: 'float64' }),
        tensor(
          [
            [1, 0],
            [0, 1],
          ],
          { dtype: 'float64' },
        ),
        { bias: tensor([1, 1], { dtype: 'float64' }), activation: 'relu' },
      ).toArray(),
    ).toEqual([[2, 0]]);
    expect(
      matmul(
        tensor([[1, -2]]),
        tensor([
          [1, 0],
          [0, 1],
        ]),
        { activation: 'relu' },
      ).toArray(),
    ).toEqual([[1, 0]]);
    expect(calls).toEqual([]);
  });
});

describe('matmul bias and activation errors', () => {
  it('names matmul, what it got and what it expected', () => {
    const a = zeros([2, 3]);
    const b = zeros([3, 4]);
    expect(() => matmul(a, b, { bias: zeros([3]) })).toThrow(
      'matmul: bias has shape [3]; expected [4], one value per output column (the last axis of the product)',
    );
    expect(() => matmul(a, b, { bias: zeros([1, 4]) })).toThrow('matmul: bias has shape [1,4]; expected [4]');
    expect(() => matmul(a, b, { bias: zeros([4], 'float64') })).toThrow(
      "matmul: bias has dtype float64; expected float32, the operands' dtype (convert with cast(bias, 'float32'))",
    );
    expect(() => matmul(a, b, { bias: [0, 0, 0, 0] as never })).toThrow(
      'matmul: bias must be a Tensor, got an array; wrap values with tensor(...)',
    );
    expect(() => matmul(a, b, { activation: 'sigmoid' as never })).toThrow(
      `matmul: activation must be 'linear' or 'relu', got "sigmoid"; apply other activations to the result (for example tanh(matmul(a, b)))`,
    );
    const out = zeros([2, 4]);
    expect(() => matmul(a, b, { bias: out.reshape([8]).slice([0, 4]), out })).toThrow(
      'matmul: bias shares memory with out (the product would overwrite it before it is added); pass a separate buffer',
    );
    try {
      matmul(a, b, { bias: zeros([5]) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AnnetError);
      expect((error as AnnetError).code).toBe('SHAPE_MISMATCH');
    }
  });
});
