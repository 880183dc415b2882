import type { FloatDType } from '../dtype.js';
import { AnnetError, formatShape } from '../errors.js';
import { activeKernels } from '../kernels/kernel-selection.js';
import type { Kernels, MatmulArguments, MatmulBatch } from '../kernels/kernels.js';
import { contiguousStrides, shapesEqual, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { copyInto } from './copy.js';
import { applyBiasActivation, type FusedActivation } from './matmul-epilogue.js';
import { batchFoldsIntoRows, matrixLayout } from './matrix-layout.js';
import { newTensor } from './new-tensor.js';
import { PlanCache } from './plan-cache.js';
import { assertFloat, assertTensor, prepareOut, sharesMemory } from './validate.js';

export type { FusedActivation } from './matmul-epilogue.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two axes (read in place, never copied). */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two axes (read in place, never copied). */
  transposeB?: boolean;
  /** Write the result here (shape `[...batch, m, n]`, same dtype) instead of allocating. */
  out?: Tensor;
  /**
   * Added to every output row after the product: a 1-D tensor of length n, the operands' dtype
   * (a Dense layer's `x·W + b`). Must not share memory with `out`.
   */
  bias?: Tensor;
  /** Applied last, element by element: `'linear'` (the default, identity) or `'relu'`. */
  activation?: FusedActivation;
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
 * Fused epilogue, as tfjs's `tf.fused.matMul`: with `bias` and/or `activation`,
 * out[..., i, j] = act(Σ_p op(a)[..., i, p] · op(b)[..., p, j] + bias[j]), the bias broadcast over
 * every row of every batch. Float32 products run it inside the kernel when the active kernels
 * have `matmulBiasActivationFloat32` (the WebAssembly backend) and a bias is given; otherwise
 * (TypeScript kernels, float64, relu without bias) the product is followed by one
 * bias-and-activation sweep over each output block. Either way no intermediate tensor is made.
 *
 * @example
 * const x = randomNormal([64, 784], rng), w = randomNormal([784, 128], rng), b = zeros([128]);
 * const y = matmul(x, w);                                   // [64, 128]
 * const h = matmul(x, w, { bias: b, activation: 'relu' });  // relu(x·w + b), one pass
 * const gradW = matmul(x, dy, { transposeA: true });        // [784, 128]
 * matmul(dy, w, { transposeB: true, out: gradX });          // [64, 784], no allocation
 */
export function matmul<D extends FloatDType>(a: Tensor<D>, b: Tensor<D>, options: MatmulOptions = {}): Tensor<D> {
  const operation = 'matmul';
  assertTensor(a, operation, 'a');
  assertTensor(b, operation, 'b');
  if (a.rank < 2 || b.rank < 2) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `expected tensors of rank >= 2, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use dot() for vectors`,
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
  const activation = options.activation ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `activation must be 'linear' or 'relu', got ${JSON.stringify(activation)}; apply other activations to the result (for example tanh(matmul(a, b)))`,
    );
  }
  const plan = matmulPlan(a, b, options.transposeA === true, options.transposeB === true, options.out);
  const bias = options.bias;
  if (bias !== undefined) checkBias(bias, a.dtype, plan.outShape[plan.outShape.length - 1]);
  const out = prepareOut(options.out, plan.outShape, a.dtype, operation, a, b) as Tensor<D>;
  if (sharesMemory(out, bias)) {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      'bias shares memory with out (the product would overwrite it before it is added); pass a separate buffer',
    );
  }
  if (out.size === 0) return out;
  const target = plan.writesOut ? out : newTensor(out.dtype, out.shape);
  // A strided bias (a view such as b.slice([null, null, 2])) is copied: the kernels read n values in a row.
  const biasRead =
    bias === undefined ? undefined : bias.shape[0] > 1 && bias.strides[0] !== 1 ? bias.contiguous(true) : bias;
  runPlan(
    plan,
    plan.copyA ? a.contiguous(true) : a,
    plan.copyB ? b.contiguous(true) : b,
    target,
    biasRead,
    activation === 'relu',
  );
  if (target !== out) copyInto(out, target);
  return out;
}

/** Throws unless `bias` is a 1-D tensor of `n` elements of `dtype`. */
function checkBias(bias: unknown, dtype: string, n: number): asserts bias is Tensor {
  const operation = 'matmul';
  assertTensor(bias, operation, 'bias');
  if (bias.rank !== 1 || bias.shape[0] !== n) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `bias has shape ${formatShape(bias.shape)}; expected [${n}], one value per output column (the last axis of the product)`,
    );
  }
  if (bias.dtype !== dtype) {
    throw new AnnetError(
      'DTYPE_MISMATCH',
      operation,
      `bias has dtype ${bias.dtype}; expected ${dtype}, the operands' dtype (convert with cast(bias, '${dtype}'))`,
    );
  }
}

/**
 * Everything about one matmul that depends only on the operands' shapes and strides and the
 * options: sizes, layouts, batch strides and the kernel arguments (data and offsets are filled in
 * per call). Cached, so a step that calls matmul with the same layouts allocates nothing.
 */
interface MatmulPlan {
  readonly outShape: readonly number[];
  /** Operands whose matrices cannot be read in place (copied row-major first). */
  readonly copyA: boolean;
  readonly copyB: boolean;
  /** False when `out`'s matrices are not row-major: the product goes to a scratch tensor first. */
  readonly writesOut: boolean;
  readonly args: MatmulArguments<Float32Array | Float64Array>;
  /** `[B, m, k] × [k, n]` with b shared: one `[B·m, k] × [k, n]` product. */
  readonly folded: boolean;
  readonly batch: readonly number[];
  readonly batchSize: number;
  readonly aBatchStrides: readonly number[];
  readonly bBatchStrides: readonly number[];
  readonly outBatchStrides: readonly number[];
  readonly counter: number[];
  /** The batch as one `matmulBatchFloat32` call when it has one or two axes; null otherwise. */
  readonly kernelBatch: MatmulBatch | null;
}

/** The batch axes (one or two) as the outer and inner axes of `matmulBatchFloat32`. */
function kernelBatchOf(
  batch: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
  outStrides: readonly number[],
): MatmulBatch | null {
  if (batch.length === 1)
    return { outer: 1, inner: batch[0], a: [0, aStrides[0]], b: [0, bStrides[0]], out: [0, outStrides[0]] };
  if (batch.length !== 2) return null;
  return {
    outer: batch[0],
    inner: batch[1],
    a: [aStrides[0], aStrides[1]],
    b: [bStrides[0], bStrides[1]],
    out: [outStrides[0], outStrides[1]],
  };
}

const plans = new PlanCache<MatmulPlan>();
const emptyArray = new Float32Array(0);

function matmulPlan(
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  out: Tensor | undefined,
): MatmulPlan {
  plans.begin();
  plans.addList(a.shape);
  plans.addList(a.strides);
  plans.addList(b.shape);
  plans.addList(b.strides);
  plans.add((transposeA ? 1 : 0) + (transposeB ? 2 : 0));
  if (out === undefined) plans.add(-1);
  else plans.addList(out.strides);
  return plans.find() ?? createPlan(a, b, transposeA, transposeB, out);
}

function createPlan(
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  out: Tensor | undefined,
): MatmulPlan {
  const operation = 'matmul';
  const [m, kA] = trailingDims(a, transposeA);
  const [kB, n] = trailingDims(b, transposeB);
  if (kA !== kB) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `inner dimensions differ: ${describe(a, transposeA)} x ${describe(b, transposeB)}`,
    );
  }
  const batch = broadcastBatch(a, b, operation);
  const outShape = [...batch, m, n];
  // The layouts the kernels will read: the operands' own, or row-major copies.
  const copyA = matrixLayout(a) === null;
  const copyB = matrixLayout(b) === null;
  const aRead = copyA ? rowMajor(a.shape) : a;
  const bRead = copyB ? rowMajor(b.shape) : b;
  const outLayout = out === undefined || out.rank !== outShape.length ? null : matrixLayout(out);
  const writesOut = out === undefined || outLayout?.transposed === false;
  const target = out !== undefined && writesOut ? out : rowMajor(outShape);
  const aLayout = matrixLayout(aRead)!;
  const bLayout = matrixLayout(bRead)!;
  const args: MatmulArguments<Float32Array | Float64Array> = {
    a: emptyArray,
    aOffset: 0,
    lda: aLayout.leading,
    transposeA: transposeA !== aLayout.transposed,
    b: emptyArray,
    bOffset: 0,
    ldb: bLayout.leading,
    transposeB: transposeB !== bLayout.transposed,
    out: emptyArray,
    outOffset: 0,
    ldc: matrixLayout(target)!.leading,
    m,
    n,
    k: kA,
    accumulate: false,
  };
  const batchSize = sizeOf(batch);
  const bBatchStrides = batchStrides(bRead, batch);
  const folded =
    batchSize > 1 &&
    bBatchStrides.every((stride) => stride === 0) &&
    !args.transposeA &&
    batchFoldsIntoRows(aRead, args.lda) &&
    batchFoldsIntoRows(target, args.ldc);
  if (folded) args.m = m * batchSize;
  const aBatchStrides = batchStrides(aRead, batch);
  const outBatchStrides = batchStrides(target, batch);
  const plan: MatmulPlan = {
    outShape,
    copyA,
    copyB,
    writesOut,
    args,
    folded,
    batch,
    batchSize,
    aBatchStrides,
    bBatchStrides,
    outBatchStrides,
    counter: new Array<number>(batch.length).fill(0),
    kernelBatch: kernelBatchOf(batch, aBatchStrides, bBatchStrides, outBatchStrides),
  };
  // An out of the wrong shape is reported by prepareOut; such a plan is not kept.
  return out !== undefined && !shapesEqual(out.shape, outShape) ? plan : plans.store(plan);
}

/** A stand-in with the shape and row-major strides of a tensor that will be allocated or copied. */
function rowMajor(shape: readonly number[]): Tensor {
  return { shape, strides: contiguousStrides(shape), rank: shape.length } as unknown as Tensor;
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
      throw new AnnetError(
        'SHAPE_MISMATCH',
        operation,
        `batch dimensions ${formatShape(batchA)} and ${formatShape(batchB)} cannot be broadcast together (shapes ${formatShape(a.shape)} x ${formatShape(b.shape)})`,
      );
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

/**
 * Runs the planned products on these operands (whose layouts match the plan), each followed by
 * the bias and activation when asked.
 */
function runPlan(plan: MatmulPlan, a: Tensor, b: Tensor, out: Tensor, bias: Tensor | undefined, relu: boolean): void {
  const args = plan.args;
  args.a = a.data as Float32Array | Float64Array;
  args.aOffset = a.offset;
  args.b = b.data as Float32Array | Float64Array;
  args.bOffset = b.offset;
  args.out = out.data as Float32Array | Float64Array;
  args.outOffset = out.offset;
  const kernels = activeKernels();
  const float32 = a.dtype === 'float32';
  const biasData = bias === undefined ? null : (bias.data as Float32Array | Float64Array);
  const biasOffset = bias === undefined ? 0 : bias.offset;
  if (plan.folded || plan.batchSize === 1) {
    multiplyOnce(kernels, args, float32, biasData, biasOffset, relu);
    return;
  }
  const { batch, batchSize, aBatchStrides, bBatchStrides, outBatchStrides, counter, kernelBatch } = plan;
  // A batch of plain float32 products in one call, which the WebAssembly backend deals out across
  // its kernel threads (attention's per-head products, each too small to split on its own).
  if (float32 && biasData === null && !relu && kernelBatch !== null && kernels.matmulBatchFloat32 !== undefined) {
    kernels.matmulBatchFloat32(args as MatmulArguments<Float32Array>, kernelBatch);
    return;
  }
  counter.fill(0);
  for (let index = 0; index < batchSize; index++) {
    multiplyOnce(kernels, args, float32, biasData, biasOffset, relu);
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

/**
 * One kernel call, out = act(op(A)·op(B) + bias) over the block `args` describes: in the fused
 * float32 kernel when the backend has one and there is a bias to fuse (its `accumulate` stays
 * false, as the plan sets it), otherwise the plain product then the reference epilogue.
 */
function multiplyOnce(
  kernels: Kernels,
  args: MatmulArguments<Float32Array | Float64Array>,
  float32: boolean,
  bias: Float32Array | Float64Array | null,
  biasOffset: number,
  relu: boolean,
): void {
  if (float32) {
    if (bias !== null && kernels.matmulBiasActivationFloat32 !== undefined) {
      kernels.matmulBiasActivationFloat32(
        args as MatmulArguments<Float32Array>,
        bias as Float32Array,
        biasOffset,
        relu ? 'relu' : 'none',
      );
      return;
    }
    kernels.matmulFloat32(args as MatmulArguments<Float32Array>);
  } else {
    kernels.matmulFloat64(args as MatmulArguments<Float64Array>);
  }
  if (bias !== null || relu) applyBiasActivation(args, bias, biasOffset, relu);
}
