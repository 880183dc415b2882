import { AnnetError, allocate, Tensor, type FloatDType } from '@annet/tensor';
import { runSteps, type BatchSteps } from '../training/yielding-steps.js';

/**
 * Runs `inputs` (one tensor per model input, same rows) through `forward` in slices of `batchSize`
 * rows and gathers every output into a fresh tensor (outputs are reused buffers, so each batch's
 * rows are copied out at once).
 *
 * @example
 * const [digits, boxes] = predictArraysInBatches((batch) => model.forwardArrays(batch, false), [images, ages], 256, 'predict');
 */
export function predictArraysInBatches(
  forward: (inputs: readonly Tensor[]) => readonly Tensor[],
  inputs: readonly Tensor[],
  batchSize: number,
  operation: string,
): Tensor[] {
  return runSteps(predictArraySteps(forward, inputs, batchSize, operation));
}

/**
 * {@link predictArraysInBatches} as steps that yield after each batch (see `runStepsYielding`).
 *
 * @example
 * const outputs = await runStepsYielding(predictArraySteps(forward, [images], 256, 'predict'), { kind: 'batches', every: 4 });
 */
export function* predictArraySteps(
  forward: (inputs: readonly Tensor[]) => readonly Tensor[],
  inputs: readonly Tensor[],
  batchSize: number,
  operation: string,
): BatchSteps<Tensor[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new AnnetError('INVALID_ARGUMENT', operation, `batchSize must be a positive integer, got ${batchSize}`);
  const count = inputs[0].shape[0];
  if (count === 0) throw new AnnetError('SHAPE_MISMATCH', operation, 'expected at least one input row, got 0');
  const batch: Tensor[] = new Array(inputs.length);
  let results: Tensor[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    for (let index = 0; index < inputs.length; index++) batch[index] = inputs[index].slice([start, end]);
    const outputs = forward(batch);
    if (start === 0)
      results = outputs.map(
        (output) =>
          new Tensor(allocate(output.dtype as FloatDType, (count * output.size) / (end - start)), [
            count,
            ...output.shape.slice(1),
          ]),
      );
    outputs.forEach((output, index) => copyRows(output, results[index], (start * output.size) / (end - start)));
    if (end < count) yield;
  }
  return results;
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
