import { AnnetError, formatShape } from '../errors.js';
import { imageKernelBytes, imageKernelsOfActiveBackend } from '../kernels/image-kernels.js';
import { splitKernel } from '../kernels/split-kernel.js';
import type { Tensor } from '../tensor.js';
import type { Im2colOptions } from './conv-geometry.js';
import { cachedPlan } from './im2col.js';
import { windowsResident } from './window-resident.js';

// A convolution as one product over the whole batch: with the columns laid out
// [C·kH·kW, N·outH·outW] (sample after sample along the columns) instead of im2col's
// [N, C·kH·kW, outH·outW], y = W·X is one [F, C·kH·kW] × [C·kH·kW, N·P] product (then its
// [F, N, P] result becomes [N, F, P] by transposeBlocksResident), and dW = dY·Xᵀ one product of
// depth N·P. On the demo ResNet's convolutions at batch 64 (one thread) the three products took
// 7.7 + 7.4 + 7.1 ms this way against 11.3 + 10.1 + 8.9 ms as 64 products per layer
// (bench figures in the changeset). WebAssembly only: these return false when the active
// kernels have no shared memory or an array is not resident, and the caller takes im2col's way.

// Checks take sizes, not shape arrays, so that a steady-state call allocates nothing.
function checkResident(
  operation: string,
  what: string,
  tensor: Tensor,
  rows: number,
  columns: number,
  block = 1,
): void {
  if (tensor.dtype !== 'float32' || !tensor.isContiguous || tensor.size !== rows * columns * block)
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `${what} is a ${tensor.isContiguous ? 'contiguous' : 'strided'} ${tensor.dtype} tensor of shape ${formatShape(tensor.shape)}; expected a contiguous float32 tensor of ${formatShape(block === 1 ? [rows, columns] : [rows, columns, block])} elements`,
    );
}

const isCount = (size: number): boolean => Number.isSafeInteger(size) && size >= 0;

/**
 * Writes im2col's columns of x in the [C·kH·kW, N·outH·outW] layout into `columns` (any shape of
 * that many float32 elements): columns[(c·kH + i)·kW + j, n·P + oh·outW + ow] = x[n, c, …] as in
 * {@link im2col}. Returns true when it ran (WebAssembly, both resident), false otherwise.
 *
 * @example
 * if (!im2colBatchColumnsResident(x, { kernelSize: 3, padding: 1 }, columns)) im2col(x, { kernelSize: 3, padding: 1, out: perSample });
 */
export function im2colBatchColumnsResident(x: Tensor, options: Im2colOptions, columns: Tensor): boolean {
  const operation = 'im2colBatchColumnsResident';
  const plan = cachedPlan(x.shape, options, operation);
  const { columnsShape } = plan; // [N, C·kH·kW, P]
  checkResident(operation, 'x', x, x.size, 1);
  checkResident(operation, 'columns', columns, columnsShape[1], columnsShape[0] * columnsShape[2]);
  return windowsResident('unfold', plan.geometry, x.data, x.offset, columns.data, columns.offset, 'batch');
}

/**
 * The adjoint of {@link im2colBatchColumnsResident}: folds [C·kH·kW, N·outH·outW] columns into
 * `inputGradient` (shape `inputShape`, overwritten), summing overlapping windows in the order
 * {@link col2im} does. Returns true when it ran, false otherwise.
 *
 * @example
 * col2imBatchColumnsResident(columnGradient, { kernelSize: 3, padding: 1 }, inputGradient);
 */
export function col2imBatchColumnsResident(columns: Tensor, options: Im2colOptions, inputGradient: Tensor): boolean {
  const operation = 'col2imBatchColumnsResident';
  const plan = cachedPlan(inputGradient.shape, options, operation);
  const { columnsShape } = plan; // [N, C·kH·kW, P]
  checkResident(operation, 'columns', columns, columnsShape[1], columnsShape[0] * columnsShape[2]);
  checkResident(operation, 'inputGradient', inputGradient, inputGradient.size, 1);
  return windowsResident(
    'fold',
    plan.geometry,
    inputGradient.data,
    inputGradient.offset,
    columns.data,
    columns.offset,
    'batch',
  );
}

/**
 * target[j, i, p] = source[i, j, p] for [outer, inner, block] float32 data (the two outer axes
 * swapped, whole blocks at a time), in WebAssembly when both are resident and do not overlap;
 * then returns true, else false.
 *
 * @example
 * transposeBlocksResident(productOutput, output, 16, 64, 196); // [F, N, P] → [N, F, P]
 */
export function transposeBlocksResident(
  source: Tensor,
  target: Tensor,
  outer: number,
  inner: number,
  block: number,
): boolean {
  const operation = 'transposeBlocksResident';
  if (!isCount(outer) || !isCount(inner) || !isCount(block))
    throw new AnnetError(
      'INVALID_ARGUMENT',
      operation,
      `outer, inner and block must be non-negative integers, got ${outer}, ${inner}, ${block}`,
    );
  checkResident(operation, 'source', source, outer, inner, block);
  checkResident(operation, 'target', target, inner, outer, block);
  const resident = imageKernelsOfActiveBackend();
  if (resident === null) return false;
  const { memory } = resident;
  const from = source.data as Float32Array;
  const to = target.data as Float32Array;
  if (!memory.owns(from) || !memory.owns(to)) return false;
  const fromAddress = memory.addressOf(from) + 4 * source.offset;
  const toAddress = memory.addressOf(to) + 4 * target.offset;
  const bytes = 4 * source.size;
  if (fromAddress < toAddress + bytes && toAddress < fromAddress + bytes)
    throw new AnnetError('INVALID_ARGUMENT', operation, 'source and target overlap; expected separate arrays');
  // Large transposes are shared by the kernel threads in ranges of the outer index (each block
  // is copied by one thread: the same bits as one call).
  const split = splitKernel(imageKernelBytes(), 'transposeBlocksF32', outer, source.size, (part, start, count) => {
    part.length = 7;
    part[0] = fromAddress;
    part[1] = toAddress;
    part[2] = outer;
    part[3] = inner;
    part[4] = block;
    part[5] = start;
    part[6] = start + count;
  });
  if (!split) resident.kernels.transposeBlocksF32(fromAddress, toAddress, outer, inner, block, 0, outer);
  return true;
}
