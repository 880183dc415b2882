import type { FloatDType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import { activeKernels } from '../kernels/backend.js';
import type { MatmulArguments } from '../kernels/kernels.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { batchFoldsIntoRows, matrixLayout } from './matrix-layout.js';
import { newTensor } from './new-tensor.js';
import { assertFloat, assertTensor, prepareOut } from './validate.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two axes (read in place, never copied). */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two axes (read in place, never copied). */
  transposeB?: boolean;
  /** Write the result here (shape `[...batch, m, n]`, same dtype) instead of allocating. */
  out?: Tensor;
}

/**
 * Matrix product over the last two axes, with NumPy broadcasting over the leading (batch)
 * axes: `[...batchA, m, k] × [...batchB, k, n] → [...broadcast(batchA, batchB), m, n]`.
 *
 * out[..., i, j] = Σ_p op(a)[..., i, p] · op(b)[..., p, j], op = transpose when asked.
 *
 * Operands are read in place whenever their last two axes are row- or column-major (so
 * `transpose()` views and `transposeA`/`transposeB` cost nothing); other strided views are
 * copied first. Both operands must have the same float dtype. Accumulation is float64 in the
 * TypeScript kernels (see the package README for other backends). Deterministic.
 *
 * @example
 * const x = randomNormal([64, 784], rng), w = randomNormal([784, 128], rng);
 * const y = matmul(x, w);                                   // [64, 128]
 * const gradW = matmul(x, dy, { transposeA: true });        // [784, 128]
 * matmul(dy, w, { transposeB: true, out: gradX });          // [64, 784], no allocation
 */
export function matmul<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>, options: MatmulOptions = {}): Tensor<D> {
  const operation = 'matmul';
  assertTensor(a, operation, 'a');
  assertTensor(b, operation, 'b');
  const transposeA = options.transposeA === true;
  const transposeB = options.transposeB === true;
  if (a.rank < 2 || b.rank < 2) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `expected tensors of rank >= 2, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use dot() for vectors`);
  }
  assertFloat(a, operation, 'a');
  assertFloat(b, operation, 'b');
  if (a.dtype !== b.dtype) {
    throw new AnnetError('DTYPE_MISMATCH', operation, `dtypes differ: ${a.dtype} x ${b.dtype}; cast one with cast(x, '${a.dtype}')`);
  }
  const [m, kA] = trailingDims(a, transposeA);
  const [kB, n] = trailingDims(b, transposeB);
  if (kA !== kB) {
    throw new AnnetError('SHAPE_MISMATCH', operation, `inner dimensions differ: ${describe(a, transposeA)} x ${describe(b, transposeB)}`);
  }
  const batch = broadcastBatch(a, b, operation);
  const out = prepareOut(options.out, [...batch, m, n], a.dtype, operation, a, b) as Tensor<D>;
  if (out.size === 0) return out;
  const target = matrixLayout(out)?.transposed === false ? out : newTensor(out.dtype, out.shape);
  multiplyBatches(a, b, target, transposeA, transposeB, batch, kA);
  if (target !== out) copyInto(out, target);
  return out;
}

function trailingDims(x: Tensor, transposed: boolean): [number, number] {
  const rows = x.shape[x.rank - 2];
  const columns = x.shape[x.rank - 1];
  return transposed ? [columns, rows] : [rows, columns];
}

function describe(x: Tensor, transposed: boolean): string {
  return `${formatShape(x.shape)}${transposed ? '^T' : ''}`;
}

function broadcastBatch(a: Tensor, b: Tensor, operation: string): number[] {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const da = batchA[batchA.length - rank + axis] ?? 1;
    const db = batchB[batchB.length - rank + axis] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new AnnetError('SHAPE_MISMATCH', operation, `batch dimensions ${formatShape(batchA)} and ${formatShape(batchB)} cannot be broadcast together (shapes ${formatShape(a.shape)} x ${formatShape(b.shape)})`);
    }
    batch.push(da === 1 ? db : da);
  }
  return batch;
}

/** Strides of `x`'s batch axes aligned to `batch` (0 where `x` is broadcast). */
function batchStrides(x: Tensor, batch: readonly number[]): number[] {
  const lead = batch.length - (x.rank - 2);
  return batch.map((_, axis) => (axis < lead || x.shape[axis - lead] === 1 ? 0 : x.strides[axis - lead]));
}

/** `x` itself when a kernel can read its matrices in place, else a contiguous copy. */
function readable<D extends FloatDType>(x: Tensor<D>): Tensor<D> {
  return matrixLayout(x) === null ? x.contiguous(true) : x;
}

function multiplyBatches<D extends FloatDType>(aInput: Tensor<D>, bInput: Tensor<D>, out: Tensor<D>, transposeA: boolean, transposeB: boolean, batch: readonly number[], k: number): void {
  const a = readable(aInput);
  const b = readable(bInput);
  const aLayout = matrixLayout(a)!;
  const bLayout = matrixLayout(b)!;
  const m = out.shape[out.rank - 2];
  const n = out.shape[out.rank - 1];
  const args: MatmulArguments<Float32Array | Float64Array> = {
    a: a.data, aOffset: a.offset, lda: aLayout.leading, transposeA: transposeA !== aLayout.transposed,
    b: b.data, bOffset: b.offset, ldb: bLayout.leading, transposeB: transposeB !== bLayout.transposed,
    out: out.data, outOffset: out.offset, ldc: matrixLayout(out)!.leading, m, n, k, accumulate: false,
  };
  const kernels = activeKernels();
  const run = a.dtype === 'float32' ? () => kernels.matmulFloat32(args as MatmulArguments<Float32Array>) : () => kernels.matmulFloat64(args as MatmulArguments<Float64Array>);
  const batchSize = sizeOf(batch);
  const bBatchStrides = batchStrides(b, batch);
  // [B, m, k] x [k, n] (b not batched): one [B·m, k] x [k, n] product is faster than B small ones.
  if (batchSize > 1 && bBatchStrides.every((stride) => stride === 0) && !args.transposeA && batchFoldsIntoRows(a, args.lda) && batchFoldsIntoRows(out, args.ldc)) {
    args.m = m * batchSize;
    run();
    return;
  }
  const aBatchStrides = batchStrides(a, batch);
  const outBatchStrides = batchStrides(out, batch);
  const counter = new Array<number>(batch.length).fill(0);
  for (let index = 0; index < batchSize; index++) {
    run();
    for (let axis = batch.length - 1; axis >= 0; axis--) {
      counter[axis]++;
      args.aOffset += aBatchStrides[axis];
      args.bOffset += bBatchStrides[axis];
      args.outOffset += outBatchStrides[axis];
      if (counter[axis] < batch[axis]) break;
      args.aOffset -= counter[axis] * aBatchStrides[axis];
      args.bOffset -= counter[axis] * bBatchStrides[axis];
      args.outOffset -= counter[axis] * outBatchStrides[axis];
      counter[axis] = 0;
    }
  }
}
