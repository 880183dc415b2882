import { Tensor, tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { ArrayDataset } from './array-dataset.js';
import { TensorDataset } from './tensor-dataset.js';

describe('TensorDataset', () => {
  it('reads sample i as row i of inputs and targets, as views', () => {
    const inputs = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const dataset = new TensorDataset(inputs, tensor([7, 8, 9], { dtype: 'int32' }));
    expect(dataset.length).toBe(3);
    const sample = dataset.get(1);
    expect(sample.input.toArray()).toEqual([3, 4]);
    expect(sample.target.item()).toBe(8);
    inputs.set(40, 1, 1);
    expect(sample.input.get(1)).toBe(40);
    expect(dataset.inputs.shape).toEqual([3, 2]);
    expect(dataset.targets.toArray()).toEqual([7, 8, 9]);
  });

  it('takes typed arrays with per-sample shapes', () => {
    const dataset = new TensorDataset(
      Float64Array.from({ length: 12 }, (_, index) => index),
      new Int32Array([0, 1]),
      { inputShape: [2, 3] },
    );
    expect(dataset.length).toBe(2);
    expect(dataset.get(1).input.toArray()).toEqual([
      [6, 7, 8],
      [9, 10, 11],
    ]);
    expect(dataset.rows().input).toEqual({ dtype: 'float64', shape: [2, 3] });
  });

  it('reads non-contiguous and offset tensors correctly', () => {
    const base = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const transposed = base.transpose(); // rows [1,4], [2,5], [3,6]
    const dataset = new TensorDataset(transposed, base.slice(0));
    expect(dataset.get(2).input.toArray()).toEqual([3, 6]);
    expect(dataset.get(2).target.item()).toBe(3);
    const offset = new TensorDataset(base.slice([1, 2]), tensor([5]));
    expect(offset.get(0).input.toArray()).toEqual([4, 5, 6]);
    const copied = new Float32Array(3);
    offset.rows().copyRow(0, copied, 0, new Float32Array(1), 0);
    expect(Array.from(copied)).toEqual([4, 5, 6]);
  });

  it('copies long rows (the subarray path) and short rows (the loop path) alike', () => {
    const width = 40;
    const inputs = new Tensor(
      Float32Array.from({ length: 3 * width }, (_, index) => index),
      [3, width],
    );
    const dataset = new TensorDataset(inputs, new Tensor(new Float32Array([1, 2, 3]), [3]));
    const target = new Float32Array(width + 1);
    const label = new Float32Array(2);
    dataset.rows().copyRow(2, target, 1, label, 1);
    expect(Array.from(target.subarray(1))).toEqual(Array.from({ length: width }, (_, index) => 2 * width + index));
    expect(label[1]).toBe(3);
  });

  it('rejects inputs and targets that do not line up', () => {
    expect(() => new TensorDataset(tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow(
      /inputs have 2 samples but targets have 3/,
    );
    expect(() => new TensorDataset(new Float32Array(5), new Float32Array(2), { inputShape: [2] })).toThrow(
      /5 elements, which is not a whole number of samples of shape \[2\]/,
    );
    expect(() => new TensorDataset(tensor(3), tensor([1]))).toThrow(/must have a sample dimension first/);
    expect(() => new TensorDataset([1, 2] as never, tensor([1, 2]))).toThrow(/must be a Tensor, Float32Array/);
    expect(() => new TensorDataset(tensor([1]), tensor([1])).get(1)).toThrow(/outside the dataset's range \[0, 1\)/);
  });
});

describe('ArrayDataset', () => {
  it('wraps an array and zips pairs', () => {
    const dataset = ArrayDataset.fromPairs(['x', 'y'], [0, 1]);
    expect(dataset.get(1)).toEqual({ input: 'y', target: 1 });
    expect(() => ArrayDataset.fromPairs([1], [1, 2])).toThrow(/got 1 inputs and 2 targets/);
    expect(() => new ArrayDataset('abc' as never)).toThrow(/expected an array/);
  });
});
