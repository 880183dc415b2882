import { AnnetError, tensor, Tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { GlobalAveragePooling2D } from '../convolution/global-average-pooling2d.js';
import { graphLayerFromConfig } from '../registry/layer-registry.js';
import {
  checkLayerGradients,
  expectGradientsToMatch,
  numericGradient,
  randomInput,
  separatedInput,
  type GradientError,
} from '../testing/gradient-check.js';
import { Add } from './add.js';
import { Average } from './average.js';
import { Concatenate } from './concatenate.js';
import { Maximum } from './maximum.js';
import type { MergeLayer } from './merge-layer.js';
import { Multiply } from './multiply.js';
import { Subtract } from './subtract.js';

const f64 = (values: number[][]) => tensor(values, { dtype: 'float64' });

/**
 * Central differences of L = Σ y·p for a merge layer, with respect to each input, against its
 * backward (the merge-layer counterpart of checkLayerGradients, which checks single-input layers).
 */
function checkMergeGradients(layer: MergeLayer, inputs: Tensor[], seed: number): GradientError[] {
  const copies = inputs.map((input) => input.clone());
  const output = layer.forward(copies);
  const projection = randomInput(output.shape, 0x5eed0000 + seed);
  const loss = () => {
    const y = layer.forward(copies).contiguous();
    let sum = 0;
    for (let index = 0; index < y.size; index++) sum += y.data[y.offset + index] * (projection.data[index] as number);
    return sum;
  };
  const analytic = layer.backward(projection).map((gradient) => Float64Array.from(gradient.contiguous(true).data));
  return copies.map((input, index) => {
    const numeric = numericGradient(input.data as Float64Array, loss, 1e-5);
    let difference = 0;
    let scale = 0;
    let largest = 0;
    for (let element = 0; element < numeric.length; element++) {
      difference = Math.max(difference, Math.abs(numeric[element] - analytic[index][element]));
      scale = Math.max(scale, Math.abs(numeric[element]), Math.abs(analytic[index][element]));
      largest = Math.max(largest, Math.abs(analytic[index][element]));
    }
    return { name: `input ${index}`, relativeError: difference / scale, largestGradient: largest };
  });
}

describe('merge layers: hand-derived values', () => {
  it('Add sums, Subtract subtracts, Average and Multiply combine, Maximum picks', () => {
    const a = f64([
      [1, -2],
      [3, 0.5],
    ]);
    const b = f64([
      [10, 20],
      [-1, 0.5],
    ]);
    const c = f64([
      [2, 2],
      [2, 2],
    ]);
    expect(new Add().forward([a, b, c]).toArray()).toEqual([
      [13, 20],
      [4, 3],
    ]);
    expect(new Subtract().forward([a, b]).toArray()).toEqual([
      [-9, -22],
      [4, 0],
    ]);
    // (1 + 10 + 2) / 3, (-2 + 20 + 2) / 3, ...
    expect(new Average().forward([a, b, c]).toArray()).toEqual([
      [13 / 3, 20 / 3],
      [4 / 3, 1],
    ]);
    expect(new Multiply().forward([a, b, c]).toArray()).toEqual([
      [20, -80],
      [-6, 0.5],
    ]);
    expect(new Maximum().forward([a, b, c]).toArray()).toEqual([
      [10, 20],
      [3, 2],
    ]);
  });

  it('backward: Add passes dy to every input, Subtract negates the second, Maximum routes to the winner', () => {
    const a = f64([[1, 5]]);
    const b = f64([[3, 2]]);
    const dy = f64([[7, 11]]);
    const add = new Add();
    add.forward([a, b]);
    expect(add.backward(dy).map((gradient) => gradient.toArray())).toEqual([[[7, 11]], [[7, 11]]]);
    const subtract = new Subtract();
    subtract.forward([a, b]);
    expect(subtract.backward(dy).map((gradient) => gradient.toArray())).toEqual([[[7, 11]], [[-7, -11]]]);
    const maximum = new Maximum();
    maximum.forward([a, b]);
    // max(1, 3) = 3 from b, max(5, 2) = 5 from a.
    expect(maximum.backward(dy).map((gradient) => gradient.toArray())).toEqual([[[0, 11]], [[7, 0]]]);
    // Ties go to the first input.
    maximum.forward([a, a.clone()]);
    expect(maximum.backward(dy).map((gradient) => gradient.toArray())).toEqual([[[7, 11]], [[0, 0]]]);
  });

  it('Concatenate joins along the last axis or a middle one, and splits the gradient back', () => {
    const a = f64([
      [1, 2],
      [3, 4],
    ]);
    const b = f64([[5], [6]]);
    const last = new Concatenate();
    expect(last.forward([a, b]).toArray()).toEqual([
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expect(
      last
        .backward(
          f64([
            [10, 20, 30],
            [40, 50, 60],
          ]),
        )
        .map((gradient) => gradient.toArray()),
    ).toEqual([
      [
        [10, 20],
        [40, 50],
      ],
      [[30], [60]],
    ]);
    // [1, 2, 2] and [1, 1, 2] along axis 1 → [1, 3, 2].
    const middle = new Concatenate(1);
    const joined = middle.forward([
      tensor(
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
        { dtype: 'float64' },
      ),
      tensor([[[5, 6]]], { dtype: 'float64' }),
    ]);
    expect(joined.toArray()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ]);
  });

  it('GlobalAveragePooling2D averages each plane and spreads dy / HW', () => {
    // One sample, two channels of 2x2: means 2.5 and 10.
    const input = tensor(
      [
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [10, 10],
            [10, 10],
          ],
        ],
      ],
      { dtype: 'float64' },
    );
    const pool = new GlobalAveragePooling2D();
    expect(pool.forward(input).toArray()).toEqual([[2.5, 10]]);
    expect(pool.backward(f64([[4, 8]])).toArray()).toEqual([
      [
        [
          [1, 1],
          [1, 1],
        ],
        [
          [2, 2],
          [2, 2],
        ],
      ],
    ]);
  });
});

describe('merge layers: float64 gradient checks', () => {
  const shape = [3, 4];
  it.each([
    ['Add', () => new Add(), 3],
    ['Subtract', () => new Subtract(), 2],
    ['Average', () => new Average(), 3],
    ['Multiply', () => new Multiply(), 3],
  ] as const)('%s matches central differences for every input', (_name, make, count) => {
    const inputs = Array.from({ length: count }, (_, index) => randomInput(shape, 10 + index));
    expectGradientsToMatch(checkMergeGradients(make(), inputs, 1), 1e-7);
  });
  it('Maximum matches central differences away from ties', () => {
    // Well-separated values (steps of 0.1 ≫ ε) from one permutation split over the inputs: no near-ties.
    const values = separatedInput([3, 12], 4);
    const inputs = [0, 1, 2].map(
      (index) => new Tensor(Float64Array.from(values.data.subarray(index * 12, index * 12 + 12)), shape),
    );
    expectGradientsToMatch(checkMergeGradients(new Maximum(), inputs, 2), 1e-7);
  });
  it('Concatenate matches central differences along axis 1 and -1', () => {
    expectGradientsToMatch(
      checkMergeGradients(new Concatenate(1), [randomInput([2, 3, 4], 1), randomInput([2, 1, 4], 2)], 3),
      1e-7,
    );
    expectGradientsToMatch(
      checkMergeGradients(
        new Concatenate(-1),
        [randomInput([2, 3, 4], 1), randomInput([2, 3, 2], 2), randomInput([2, 3, 1], 5)],
        4,
      ),
      1e-7,
    );
  });
  it('GlobalAveragePooling2D matches central differences', () => {
    expectGradientsToMatch(checkLayerGradients(new GlobalAveragePooling2D(), randomInput([2, 3, 4, 5], 7)), 1e-7);
  });
});

describe('merge layers: bad input', () => {
  it('names the layer and both shapes when shapes differ, symbolically and on real tensors', () => {
    const add = new Add({ name: 'add_1' });
    expect(() =>
      add.outputShape([
        [-1, 64],
        [-1, 32],
      ]),
    ).toThrow('Add "add_1": shapes [*,64] and [*,32] do not broadcast');
    expect(
      add.outputShape([
        [-1, 64],
        [-1, 64],
      ]),
    ).toEqual([-1, 64]);
    const error = (() => {
      try {
        add.forward([f64([[1, 2]]), f64([[1, 2, 3]])]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AnnetError);
    expect((error as AnnetError).code).toBe('SHAPE_MISMATCH');
    expect(() =>
      new Concatenate(-1, { name: 'join' }).outputShape([
        [-1, 2, 3],
        [-1, 4, 3],
      ]),
    ).toThrow('Concatenate "join": shapes [*,2,3] and [*,4,3] cannot be joined along axis -1');
    expect(
      new Concatenate(1).outputShape([
        [-1, 2, 3],
        [-1, 4, 3],
      ]),
    ).toEqual([-1, 6, 3]);
  });
  it('refuses too few inputs, mixed dtypes, the batch axis, and backward before forward', () => {
    expect(() => new Add().forward([f64([[1]])])).toThrow('Add "add": expected at least 2 inputs, got 1');
    expect(() => new Subtract().forward([f64([[1]]), f64([[1]]), f64([[1]])])).toThrow(
      'expected exactly 2 inputs, got 3',
    );
    expect(() => new Add().forward([f64([[1]]), tensor([[1]])])).toThrow('input 1 is float32 but input 0 is float64');
    expect(() => new Concatenate(0)).toThrow('0 is the batch axis');
    expect(() => new Multiply().backward(f64([[1]]))).toThrow('backward was called before forward');
  });
});

describe('merge layers: config', () => {
  it('round-trips every merge layer through the registry', () => {
    for (const layer of [
      new Add({ name: 'a' }),
      new Subtract(),
      new Multiply(),
      new Average(),
      new Maximum(),
      new Concatenate(2, { name: 'c' }),
    ]) {
      const copy = graphLayerFromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
      expect(copy.getConfig()).toEqual(layer.getConfig());
      expect(copy.constructor).toBe(layer.constructor);
    }
    expect(new Concatenate(2, { name: 'c' }).getConfig()).toEqual({ className: 'Concatenate', name: 'c', axis: 2 });
  });
});
