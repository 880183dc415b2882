import { describe, expect, it } from 'vitest';
import { tensor, zeros } from './create.js';
import { AnnetError } from './errors.js';
import { Tensor } from './tensor.js';

describe('Tensor views', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('transposes without copying', () => {
    const t = x.transpose();
    expect(t.data).toBe(x.data);
    expect(t.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });
  it('slices with negative indices and steps', () => {
    expect(x.slice(null, [null, null, -1]).toArray()).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(x.slice(-1, [0, 3, 2]).toArray()).toEqual([4, 6]);
  });
  it('reshapes contiguous tensors as views and copies strided ones', () => {
    expect(x.reshape([3, -1]).data).toBe(x.data);
    const t = x.transpose().reshape([6]);
    expect(t.data).not.toBe(x.data);
    expect(t.toArray()).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('broadcasts with stride 0 and expands dims', () => {
    const b = tensor([1, 2]).expandDims(1).broadcastTo([2, 3]);
    expect(b.strides).toEqual([1, 0]);
    expect(b.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
  });
  it('reports bad shapes and sizes with the operation and the values', () => {
    expect(() => tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { shape: [5, 3] })).toThrow('tensor: 12 values do not fill shape [5,3] (15 needed)');
    expect(() => zeros([2, -1])).toThrow(AnnetError);
    expect(() => zeros([2.5])).toThrow('zeros');
    expect(() => x.reshape([4, 2])).toThrow('reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)');
  });
  it('abbreviates large tensors in toString', () => {
    const text = zeros([100, 100]).toString();
    expect(text).toContain('...');
    expect(text.length).toBeLessThan(600);
  });
});
