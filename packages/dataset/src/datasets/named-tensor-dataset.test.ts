import { tensor } from '@annet/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader } from '../loader/data-loader.js';
import { defaultCollate } from '../loader/collate.js';
import type { NamedBatch, TensorRecord } from './sample.js';
import { NamedTensorDataset } from './named-tensor-dataset.js';

describe('NamedTensorDataset and collating records of named arrays', () => {
  const images = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]); // 3 samples of shape [1, 2]
  const ages = tensor([[10], [20], [30]]);
  const labels = tensor([0, 1, 2], { dtype: 'int32' });

  it('yields rows of every named tensor as views', () => {
    const dataset = new NamedTensorDataset({ image: images, age: ages }, labels);
    const sample = dataset.get(1);
    const input = sample.input as TensorRecord;
    expect(input.image.toArray()).toEqual([[3, 4]]);
    expect(input.age.toArray()).toEqual([20]);
    expect((sample.target as ReturnType<typeof tensor>).toArray()).toEqual(1);
    expect(input.image.data).toBe(images.data);
  });

  it('batches records into records of stacked tensors, keeping dtypes, through the loader', () => {
    const loader = new DataLoader(new NamedTensorDataset({ image: images, age: ages }, { digit: labels }), {
      batchSize: 2,
    });
    const batches = [...loader] as NamedBatch[];
    expect(batches.length).toBe(2);
    const [first, second] = batches;
    const inputs = first.inputs as TensorRecord;
    expect(inputs.image.shape).toEqual([2, 1, 2]);
    expect(inputs.image.toArray()).toEqual([[[1, 2]], [[3, 4]]]);
    expect(inputs.age.toArray()).toEqual([[10], [20]]);
    expect((first.targets as TensorRecord).digit.dtype).toBe('int32');
    expect((first.targets as TensorRecord).digit.toArray()).toEqual([0, 1]);
    expect((second.inputs as TensorRecord).image.shape).toEqual([1, 1, 2]);
  });

  it('collates plain records of numbers and arrays', () => {
    const batch = defaultCollate<NamedBatch>([
      { input: { point: [1, 2], flag: 1 }, target: 0 },
      { input: { point: [3, 4], flag: 0 }, target: 1 },
    ]);
    const inputs = batch.inputs as TensorRecord;
    expect(inputs.point.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(inputs.flag.toArray()).toEqual([1, 0]);
  });

  it('refuses samples whose names differ and tensors whose row counts differ', () => {
    expect(() =>
      defaultCollate([
        { input: { a: 1 }, target: 0 },
        { input: { b: 1 }, target: 0 },
      ]),
    ).toThrow('sample 1 of the batch has no input named "a" but sample 0 has { a }');
    expect(() => new NamedTensorDataset({ image: images, age: tensor([[1], [2]]) }, labels)).toThrow(
      'inputs.age has 2 rows but inputs.image has 3',
    );
  });
});
