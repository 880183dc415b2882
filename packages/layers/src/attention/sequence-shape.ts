import { AnnetError, formatShape } from '@annet/tensor';

/**
 * Throws unless `shape` is `[batch, time, embeddingSize]` with time ≤ `maxLength` (an unknown
 * batch or time, −1, passes): the check of the positional layers, whose message says the fix.
 *
 * @example
 * checkSequenceShape('PositionalEmbedding "wpe"', [12, 65, 128], 64, 128); // throws: 65 time steps, at most 64
 */
export function checkSequenceShape(
  operation: string,
  shape: readonly number[],
  maxLength: number,
  embeddingSize: number,
): void {
  if (shape.length !== 3 || shape[2] !== embeddingSize) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `expected an input of shape [batch,time,${embeddingSize}], got ${formatShape(shape)}`,
    );
  }
  if (shape[1] > maxLength) {
    throw new AnnetError(
      'SHAPE_MISMATCH',
      operation,
      `the input has ${shape[1]} time steps (shape ${formatShape(shape)}) but the layer covers at most ${maxLength} (its maxLength); crop the sequence to the last ${maxLength} steps`,
    );
  }
}
