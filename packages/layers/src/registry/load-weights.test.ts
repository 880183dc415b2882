import { AnnetError, tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2D } from '../convolution/conv2d.js';
import { Dense } from '../core/dense.js';
import { collectWeights, loadWeights } from './load-weights.js';

function refusal(run: () => unknown): AnnetError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnetError);
    return error as AnnetError;
  }
  throw new Error('expected an AnnetError, nothing was thrown');
}

describe('loadWeights checks shapes, not only lengths', () => {
  it('refuses a bare typed array for a rank-2 weight (the PyTorch [out, in] confusion), naming the tensor and the shape it needs', () => {
    const dense = new Dense(2, 3);
    const error = refusal(() =>
      loadWeights(dense, { 'dense.weights': Float32Array.of(1, 2, 3, 4, 5, 6), 'dense.biases': new Float32Array(3) }),
    );
    expect([error.code, error.message]).toEqual([
      'SHAPE_MISMATCH',
      'loadWeights "dense": "dense.weights" is a bare Float32Array of 6 values, but the layer\'s array has shape [2,3]; pass it with its shape ({ data, shape: [2,3] } or a Tensor), so that another layout (a PyTorch [out, in] weight) cannot load silently',
    ]);
  });

  it('refuses a PyTorch nn.Linear weight of shape [out, in] for a Dense kernel [in, out], saying to transpose it, and changes nothing', () => {
    const dense = new Dense(2, 3);
    const before = Array.from(dense.weights.data);
    const torchWeight = Float32Array.of(1, 2, 3, 4, 5, 6); // nn.Linear(2, 3).weight: [3, 2]
    const error = refusal(() =>
      loadWeights(dense, {
        'dense.biases': Float32Array.of(7, 8, 9),
        'dense.weights': { data: torchWeight, shape: [3, 2] },
      }),
    );
    expect(error.message).toBe(
      'loadWeights "dense": "dense.weights" has shape [3,2], the layer\'s is [2,3] (the transposed layout: a PyTorch nn.Linear weight is [out, in], an annet Dense kernel [in, out]; pass its transpose, e.g. tensor(w, { shape: [3,2] }).transpose())',
    );
    // All-or-nothing: the biases, checked first, were not copied either.
    expect(Array.from(dense.weights.data)).toEqual(before);
    expect(Array.from(dense.biases!.data)).toEqual([0, 0, 0]);
  });

  it('loads the transpose view of a PyTorch weight in logical order: W[i][j] = torchW[j][i] (hand-checked)', () => {
    const dense = new Dense(2, 3);
    // torchW = [[1, 2], [3, 4], [5, 6]] ([out, in]); the Dense kernel is its transpose [[1, 3, 5], [2, 4, 6]].
    loadWeights(dense, {
      'dense.weights': tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]).transpose(),
      'dense.biases': Float32Array.of(0.5, -0.5, 1),
    });
    expect(Array.from(dense.weights.data)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(Array.from(dense.biases!.data)).toEqual([0.5, -0.5, 1]);
  });

  it('refuses other shapes with the same or another number of values, wrong bias lengths and int32 data', () => {
    const conv = new Conv2D(2, 4, 3);
    const weightName = conv.parameters()[0].name;
    const weightShape = conv.parameters()[0].shape;
    const reshaped = [weightShape[0] * weightShape[1], weightShape[2] * weightShape[3]];
    const size = reshaped[0] * reshaped[1];
    expect(
      refusal(() =>
        loadWeights(conv, { [weightName]: { data: new Float32Array(size), shape: reshaped } }, { strict: false }),
      ).message,
    ).toBe(
      `loadWeights "conv2d": "${weightName}" has shape [${reshaped.join(',')}], the layer's is [${weightShape.join(',')}] (the same number of values in another layout; reshape or transpose it to the layer's layout)`,
    );
    const dense = new Dense(2, 3);
    expect(refusal(() => loadWeights(dense, { 'dense.biases': new Float32Array(2) }, { strict: false })).message).toBe(
      'loadWeights "dense": "dense.biases" has 2 values (shape [2]), expected shape [3]',
    );
    expect(
      refusal(() =>
        loadWeights(dense, { 'dense.biases': { data: new Float32Array(3), shape: [1, 3] } }, { strict: false }),
      ).message,
    ).toBe(
      'loadWeights "dense": "dense.biases" has shape [1,3], the layer\'s is [3] (the same number of values in another layout; reshape or transpose it to the layer\'s layout)',
    );
    expect(
      refusal(() => loadWeights(dense, { 'dense.biases': tensor([1, 2, 3], { dtype: 'int32' }) }, { strict: false }))
        .code,
    ).toBe('DTYPE_MISMATCH');
    expect(
      refusal(() => loadWeights(dense, { 'dense.biases': [1, 2, 3] as never }, { strict: false })).message,
    ).toMatch(
      /"dense.biases" must be a Tensor, \{ data, shape \} or \(rank 0 or 1\) a Float32Array or Float64Array, got \[object Array\]/,
    );
  });

  it("round-trips collectWeights, whose tensors view the layer's own arrays, and converts float64 to float32", () => {
    const trained = new Dense(3, 2);
    trained.weights.data.set([1, 2, 3, 4, 5, 6]);
    const collected = collectWeights(trained);
    expect(collected['dense.weights'].shape).toEqual([3, 2]);
    expect(collected['dense.weights'].data).toBe(trained.weights.data);
    const fresh = new Dense(3, 2);
    loadWeights(fresh, collected);
    expect(Array.from(fresh.weights.data)).toEqual([1, 2, 3, 4, 5, 6]);
    loadWeights(
      fresh,
      {
        'dense.weights': tensor(
          [
            [0.1, 0.2],
            [0.3, 0.4],
            [0.5, 0.6],
          ],
          { dtype: 'float64' },
        ),
      },
      { strict: false },
    );
    expect(fresh.weights.data[0]).toBe(Math.fround(0.1));
  });
});
