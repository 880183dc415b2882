import type { FloatDType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';
import { newTensor } from './new-tensor.js';
import { assertFloat, assertTensor } from './validate.js';

/**
 * Dot product with TensorFlow.js's rank rules: vector · vector → scalar (shape `[]`),
 * matrix · vector → vector, vector · matrix → vector, matrix · matrix → matrix.
 *
 * dot(a, b) = Σ_p a[..., p] · b[p, ...], accumulated in float64.
 *
 * @example
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32
 * dot(tensor([[1, 2], [3, 4]]), tensor([1, 1]));    // [3, 7]
 */
export function dot<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  const operation = 'dot';
  assertTensor(a, operation, 'a');
  assertTensor(b, operation, 'b');
  if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected 1-D or 2-D tensors, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use matmul() for batches`,
    );
  }
  assertFloat(a, operation, 'a');
  assertFloat(b, operation, 'b');
  if (a.dtype !== b.dtype) {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `dtypes differ: ${a.dtype} x ${b.dtype}; cast one with cast(x, '${a.dtype}')`,
    );
  }
  const inner = a.shape[a.rank - 1];
  if (inner !== b.shape[0]) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `inner dimensions differ: ${formatShape(a.shape)} x ${formatShape(b.shape)}`,
    );
  }
  if (a.rank === 1 && b.rank === 1) return vectorDot(a, b);
  const left = a.rank === 1 ? a.expandDims(0) : a;
  const right = b.rank === 1 ? b.expandDims(1) : b;
  const product = matmul(left, right);
  if (a.rank === 1) return product.reshape([product.shape[1]]);
  if (b.rank === 1) return product.reshape([product.shape[0]]);
  return product;
}

function vectorDot<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  const length = a.shape[0];
  const aData = a.data;
  const bData = b.data;
  const aStride = a.strides[0];
  const bStride = b.strides[0];
  let sum = 0;
  for (
    let index = 0, aIndex = a.offset, bIndex = b.offset;
    index < length;
    index++, aIndex += aStride, bIndex += bStride
  ) {
    sum += aData[aIndex] * bData[bIndex];
  }
  const result = newTensor(a.dtype, []);
  result.data[0] = sum;
  return result;
}

/**
 * Outer product of two vectors: `[m] ⊗ [n] → [m, n]`, out[i, j] = a[i] · b[j].
 *
 * @example
 * outer(tensor([1, 2]), tensor([3, 4, 5])); // [[3, 4, 5], [6, 8, 10]]
 */
export function outer<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>): Tensor<D> {
  const operation = 'outer';
  assertTensor(a, operation, 'a');
  assertTensor(b, operation, 'b');
  if (a.rank !== 1 || b.rank !== 1) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected two 1-D tensors, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  assertFloat(a, operation, 'a');
  assertFloat(b, operation, 'b');
  if (a.dtype !== b.dtype) {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `dtypes differ: ${a.dtype} x ${b.dtype}; cast one with cast(x, '${a.dtype}')`,
    );
  }
  const m = a.shape[0];
  const n = b.shape[0];
  const result = newTensor(a.dtype, [m, n]);
  const out = result.data;
  for (let i = 0; i < m; i++) {
    const value = a.data[a.offset + i * a.strides[0]];
    for (let j = 0; j < n; j++) out[i * n + j] = value * b.data[b.offset + j * b.strides[0]];
  }
  return result;
}
