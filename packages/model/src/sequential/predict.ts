import { AnnetError, allocate, formatShape, Tensor, type FloatDType } from '@annet/tensor';
import { runSteps, type BatchSteps } from '../training/yielding-steps.js';

/**
 * Runs one batch through a model in inference mode.
 *
 * @example
 * const forward: ForwardPass = (batch) => model.forward(batch, { training: false });
 */
export type ForwardPass = (inputs: Tensor) => Tensor;

/**
 * Runs `inputs` through `forward` in slices of `batchSize` rows and gathers the outputs into one
 * fresh tensor (layer outputs are reused buffers, so each batch's rows are copied out at once).
 *
 * @example
 * const probabilities = predictInBatches((batch) => model.forward(batch), images, 256, 'predict');
 */
export function predictInBatches(forward: ForwardPass, inputs: Tensor, batchSize: number, operation: string): Tensor {
  return runSteps(predictSteps(forward, inputs, batchSize, operation));
}

/**
 * {@link predictInBatches} as steps that yield after each batch (see {@link runStepsYielding}).
 *
 * @example
 * const probabilities = await runStepsYielding(predictSteps((batch) => model.forward(batch), images, 256, 'predict'), { kind: 'batches', every: 4 });
 */
export function* predictSteps(
  forward: ForwardPass,
  inputs: Tensor,
  batchSize: number,
  operation: string,
): BatchSteps<Tensor> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AnnetError('INVALID_ARGUMENT', operation, `batchSize must be a positive integer, got ${batchSize}`);
  }
  if (inputs.rank === 0) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected inputs with a batch dimension first, got shape ${formatShape(inputs.shape)}`,
    );
  }
  const count = inputs.shape[0];
  let result: Tensor | null = null;
  let rowSize = 0;
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const output = forward(inputs.slice([start, end]));
    if (result === null) {
      rowSize = output.size / (end - start);
      result = new Tensor(allocate(output.dtype as FloatDType, count * rowSize), [count, ...output.shape.slice(1)]);
    }
    copyRows(output, result, start * rowSize);
    if (end < count) yield;
  }
  if (result === null) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected at least one input row, got shape ${formatShape(inputs.shape)}`,
    );
  }
  return result;
}

function copyRows(source: Tensor, target: Tensor, targetOffset: number): void {
  if (source.isContiguous) {
    target.data.set(source.data.subarray(source.offset, source.offset + source.size), targetOffset);
    return;
  }
  source.forEachIndex((dataIndex, flatIndex) => {
    target.data[targetOffset + flatIndex] = source.data[dataIndex];
  });
}
